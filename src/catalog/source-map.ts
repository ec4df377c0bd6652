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

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * For a JSON document whose root is an object, the spans of the elements of each top-level array
 * (`{"runbooks": [ {…}, {…} ]}` → runbooks → two spans). Assumes the text is valid JSON (parse it first).
 */
export function topLevelArraySpans(text: string): Map<string, Span[]> {
  const result = new Map<string, Span[]>();
  const stack: string[] = [];
  let lastKey: string | null = null;
  let currentArray: Span[] | null = null;
  let elementStart = -1;
  let lastEnd = 0;
  const inTopArray = () => stack.length === 2 && stack[1] === '[' && currentArray !== null;
  const closeElement = () => {
    if (elementStart >= 0 && currentArray) {
      currentArray.push({ start: elementStart, end: lastEnd });
    }
    elementStart = -1;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (WHITESPACE.has(c)) {
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      if (inTopArray() && elementStart < 0) {
        elementStart = i;
      }
      if (stack.length === 1) {
        lastKey = text.slice(i + 1, j);
      }
      i = j;
      lastEnd = j + 1;
      continue;
    }
    if (inTopArray() && elementStart < 0 && c !== ']' && c !== ',') {
      elementStart = i;
    }
    if (c === '{' || c === '[') {
      stack.push(c);
      if (stack.length === 2 && c === '[' && lastKey !== null) {
        currentArray = [];
        result.set(lastKey, currentArray);
      }
    } else if (c === '}' || c === ']') {
      if (stack.length === 2 && c === ']' && currentArray) {
        closeElement();
        currentArray = null;
      }
      lastEnd = i + 1;
      stack.pop();
      continue;
    } else if (c === ',' && inTopArray()) {
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
