/**
 * The hostile generators of the property suite (issue 17): NUL, lone surrogates, unnormalised Unicode,
 * prototype-pollution keys, deep nesting, huge strings and numbers, wrong content types and undecodable
 * bytes, as request bodies (a valid template with one field made hostile, extra keys, or anything) and
 * as path segments.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------
// Hostile values

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
export const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((parts) => parts.join('')),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\ud83d',
    'e\u0301',
    '\u212b',
    '\ufb01',
    '\u202e\u2066',
    '\ufeff',
    '__proto__',
    'constructor',
    'prototype',
    '<img src=x onerror=alert(1)>',
    '../../etc/passwd',
    '%00',
    '\\u0000',
    "'; DROP TABLE audit_log; --",
    '',
    ' '
  ),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n))
);
export const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 2 ** 64, -0, 5e-324, 0.1)
);
export const hostileKey = fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'));
export const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 })
  ),
}));
/** Nesting as deep as the 1 MiB body allows. */
export const deepNesting = fc
  .integer({ min: 10, max: 120_000 })
  .chain((depth) =>
    fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
  );

export type Json = unknown;

export function setPath(target: Json, path: string[], value: unknown): Json {
  if (path.length === 0) {
    return value;
  }
  const [head, ...rest] = path;
  const base = target !== null && typeof target === 'object' ? target : {};
  const copy: Record<string, unknown> = Array.isArray(base)
    ? ([...base] as unknown as Record<string, unknown>)
    : { ...base };
  Object.defineProperty(copy, head, {
    value: setPath((base as Record<string, unknown>)[head], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

export interface RawRequest {
  payload: string | Buffer;
  contentType: string | null;
}

/** A body for an endpoint: a valid one with one field made hostile, extra hostile keys, or something else entirely. */
export function hostileBody(template: () => Json, fields: string[]): fc.Arbitrary<RawRequest> {
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields), hostileValue)
        .map(([field, value]) => json(setPath(template(), field.split('.'), value))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields), hostileText)
        .map(([field, value]) => json(setPath(template(), field.split('.'), value))),
    },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(hostileKey, hostileValue, { maxKeys: 3 })
        .map((extra) => json({ ...(template() as object), ...extra })),
    },
    { weight: 1, arbitrary: fc.constant(json(template())) },
    { weight: 1, arbitrary: hostileValue.map(json) },
    { weight: 1, arbitrary: deepNesting.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"__proto__":{"admin":true}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '{"a":1,"a":2}',
          '{',
          '[]',
          'null',
          '"x"',
          '1e999',
          '{"x":"\\ud800"}',
          '{"x":"\\u0000"}'
        )
        .map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.uint8Array({ maxLength: 64 }),
          fc.constantFrom(
            'application/json',
            'application/json; charset=latin1',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            null
          )
        )
        .map(([bytes, contentType]) => ({ payload: Buffer.from(bytes), contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-16')
        .map((contentType) => ({
          payload: JSON.stringify(template()),
          contentType,
        })),
    }
  );
}

export const hostileSegment = fc.oneof(
  hostileText.filter((s) => s.length < 2_000),
  fc.constantFrom('%00', '%ED%A0%80', '%C0%AF', '..%2F..', '%', '%zz')
);
export const encodeSegment = (value: string) => {
  if (/^%/.test(value)) {
    return value;
  }
  try {
    return encodeURIComponent(value);
  } catch {
    // encodeURIComponent refuses lone surrogates: send their UTF-8-ish bytes raw as a browser might.
    return value
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .replace(/[^A-Za-z0-9%._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').slice(-2)}`);
  }
};
