/**
 * Text the stores can keep exactly: well-formed Unicode without NUL, not starting with U+FEFF.
 *
 * PostgreSQL (and PGlite) cannot store U+0000 in TEXT or JSONB, and a lone UTF-16 surrogate cannot be
 * encoded as UTF-8: the driver silently writes U+FFFD instead. A string with either would fail its
 * transaction (a 500) or be stored differently from what was hashed into the audit chain. So the API
 * rejects such strings in requests (400 naming the field), and where the sender cannot fix its payload
 * (alert webhooks) it stores them escaped: each offending code unit as the literal text `\uXXXX`.
 *
 * A leading U+FEFF (a byte-order mark) is kept by PostgreSQL, but PGlite's UTF-8 decoder drops it when
 * it reads a text value back: an alert fingerprint starting with one was stored, not found again on
 * re-delivery, and inserted twice (a 500, found by the fuzz suite). Only at the start of the text.
 */

// A NUL, a high surrogate not followed by a low one, a low surrogate not preceded by a high one, or a
// byte-order mark as the first character.
const FORBIDDEN_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|^\uFEFF/g;

export type TextProblem = 'nul' | 'lone_surrogate' | 'leading_bom';

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  nul: 'contains a NUL character (U+0000), which cannot be stored',
  lone_surrogate: 'is not well-formed Unicode (a lone UTF-16 surrogate)',
  leading_bom: 'starts with a byte-order mark (U+FEFF), which would not be read back as it was sent',
};

export function textProblem(value: string): TextProblem | null {
  FORBIDDEN_TEXT.lastIndex = 0;
  const match = FORBIDDEN_TEXT.exec(value);
  FORBIDDEN_TEXT.lastIndex = 0;
  if (!match) {
    return null;
  }
  return match[0] === '\u0000' ? 'nul' : match[0] === '\uFEFF' ? 'leading_bom' : 'lone_surrogate';
}

/** The string with every NUL, lone surrogate and leading U+FEFF written as the six characters `\uXXXX`; identity on clean text. */
export function escapeText(value: string): string {
  return value.replace(FORBIDDEN_TEXT, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface TextIssue {
  /** Dotted path of the field (`body.alerts.0.labels.team`); a key is named as `<path>.<key>(key)`. */
  path: string;
  problem: TextProblem;
}

const MAX_ISSUES = 20;

/** Every string (and object key) under `value` that cannot be stored, up to 20, with its path. */
export function findTextIssues(value: unknown, path: string, issues: TextIssue[] = []): TextIssue[] {
  if (issues.length >= MAX_ISSUES) {
    return issues;
  }
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) {
      issues.push({ path, problem });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findTextIssues(item, `${path}.${index}`, issues));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      const shown = keyProblem ? escapeText(key) : key;
      if (keyProblem && issues.length < MAX_ISSUES) {
        issues.push({ path: `${path}.${shown}(key)`, problem: keyProblem });
      }
      findTextIssues(item, `${path}.${shown}`, issues);
    }
  }
  return issues;
}

/**
 * A copy of `value` whose strings and keys are all storable (escaped with escapeText), and the paths of
 * what was escaped. Values that need nothing are returned as they are.
 */
export function escapeTextDeep(
  value: unknown,
  path = '',
  escaped: string[] = []
): { value: unknown; escaped: string[] } {
  const walk = (item: unknown, at: string): unknown => {
    if (typeof item === 'string') {
      const clean = escapeText(item);
      if (clean !== item) {
        escaped.push(at);
      }
      return clean;
    }
    if (Array.isArray(item)) {
      return item.map((entry, index) => walk(entry, `${at}.${index}`));
    }
    if (item !== null && typeof item === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(item)) {
        const cleanKey = escapeText(key);
        if (cleanKey !== key) {
          escaped.push(`${at}.${cleanKey}(key)`);
        }
        Object.defineProperty(out, cleanKey, {
          value: walk(entry, `${at}.${cleanKey}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return item;
  };
  return { value: walk(value, path), escaped };
}
