import { fieldOffset, LineIndex, topLevelArraySpans } from '../../src/catalog/source-map';

const TEXT = `{
  "version": 1,
  "note": "a [bracket] and a \\"quote\\" in a string",
  "runbooks": [
    { "id": "a", "nested": [1, 2, {"x": "]"}] },
    {
      "id": "b",
      "url": "catalog/runbooks/b.md"
    }
  ],
  "empty": [],
  "signals": ["s1", "s2"]
}`;

describe('JSON source positions', () => {
  const spans = topLevelArraySpans(TEXT);
  const lines = new LineIndex(TEXT);

  it('finds each element of each top-level array', () => {
    expect(spans.get('runbooks')?.map((span) => JSON.parse(TEXT.slice(span.start, span.end)).id)).toEqual(['a', 'b']);
    expect(spans.get('signals')?.map((span) => TEXT.slice(span.start, span.end))).toEqual(['"s1"', '"s2"']);
    expect(spans.get('empty')).toEqual([]);
    expect(spans.has('note')).toBe(false);
  });

  it('maps offsets and fields to 1-based lines', () => {
    const [a, b] = spans.get('runbooks') ?? [];
    expect(lines.lineAt(a.start)).toBe(5);
    expect(lines.lineAt(b.start)).toBe(6);
    expect(lines.lineAt(fieldOffset(TEXT, b, 'url'))).toBe(8);
    expect(lines.lineAt(fieldOffset(TEXT, b, 'missing'))).toBe(6);
    expect(lines.lineAt(0)).toBe(1);
    expect(lines.lineAt(TEXT.length)).toBe(13);
  });
});
