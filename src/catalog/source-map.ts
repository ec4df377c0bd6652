/**
 * Line numbers for lint messages without a position-tracking parser: JSON.parse does the parsing,
 * and one linear scan finds where each element of the top-level arrays starts and ends.
 */

/** Offsets of line starts, for offset → 1-based line lookups by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }

  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low + 1;
  }
}

export interface Span {
  start: number;
  end: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

const isWhitespace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

/**
 * For a JSON document whose root is an object, the spans of the elements of each top-level array
 * (`{"runbooks": [ {…}, {…} ]}` → runbooks → two spans). Assumes the text is valid JSON (parse it first).
 */
export function topLevelArraySpans(text: string): Map<string, Span[]> {
  const result = new Map<string, Span[]>();
  let depth = 0;
  // Only the container kind at depth 2 matters: is it the top-level array?
  let depth2IsArray = false;
  let lastKey: string | null = null;
  let currentArray: Span[] | null = null;
  let elementStart = -1;
  let lastEnd = 0;
  const closeElement = () => {
    if (elementStart >= 0 && currentArray) {
      currentArray.push({ start: elementStart, end: lastEnd });
    }
    elementStart = -1;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      continue;
    }
    const inTopArray = depth === 2 && depth2IsArray && currentArray !== null;
    if (c === QUOTE) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) {
          break;
        }
        j += d === BACKSLASH ? 2 : 1;
      }
      if (inTopArray && elementStart < 0) {
        elementStart = i;
      }
      if (depth === 1) {
        lastKey = text.slice(i + 1, j);
      }
      i = j;
      lastEnd = j + 1;
      continue;
    }
    if (inTopArray && elementStart < 0 && c !== CLOSE_BRACKET && c !== COMMA) {
      elementStart = i;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === 2) {
        depth2IsArray = c === OPEN_BRACKET;
        if (depth2IsArray && lastKey !== null) {
          currentArray = [];
          result.set(lastKey, currentArray);
        }
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 2 && c === CLOSE_BRACKET && currentArray) {
        closeElement();
        currentArray = null;
      }
      depth--;
      lastEnd = i + 1;
      continue;
    } else if (c === COMMA && inTopArray) {
      closeElement();
      continue;
    }
    lastEnd = i + 1;
  }
  return result;
}

/** Offset of `"field"` inside a span (the first occurrence), or the span's start. */
export function fieldOffset(text: string, span: Span, field: string): number {
  const at = text.indexOf(`"${field}"`, span.start);
  return at >= 0 && at < span.end ? at : span.start;
}
