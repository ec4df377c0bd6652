/** The nesting limit of the JSON body parser (src/api/plugins/json-body.ts), without the app. */
import fc from 'fast-check';

import { jsonDepthExceeds } from '../../src/api/plugins/json-body';

/** The definition, one character at a time: brackets count outside strings only. */
function depthExceedsReference(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i += 1;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > limit) {
        return true;
      }
    } else if (c === ']' || c === '}') {
      depth -= 1;
    }
  }
  return false;
}

describe('jsonDepthExceeds', () => {
  it('counts brackets outside strings only, however the strings escape their quotes', () => {
    expect(jsonDepthExceeds('[[[1]]]', 2)).toBe(true);
    expect(jsonDepthExceeds('[[[1]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":"[[[[[[","b":{"c":1}}', 2)).toBe(false);
    expect(jsonDepthExceeds('["\\"[[[[", [[1]]]', 2)).toBe(true);
    expect(jsonDepthExceeds('["\\\\", [[1]]]', 2)).toBe(true);
    expect(jsonDepthExceeds('["\\\\\\"[[[[[", 1]', 2)).toBe(false);
    expect(jsonDepthExceeds(`["${'x'.repeat(300_000)}", {"a": [1]}]`, 2)).toBe(true);
    // An unterminated string hides everything after it, as in the definition.
    expect(jsonDepthExceeds('["[[[[[[[', 2)).toBe(false);
  });

  it('agrees with the character-by-character definition on any text of quotes, escapes and brackets', () => {
    const piece = fc.constantFrom('"', '\\', '[', ']', '{', '}', 'x', ',', ':', '\\"', '\\\\');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat({ max: 6 }), (pieces, limit) => {
        const text = pieces.join('');
        expect(jsonDepthExceeds(text, limit)).toBe(depthExceedsReference(text, limit));
      }),
      { numRuns: 2_000 }
    );
  });
});
