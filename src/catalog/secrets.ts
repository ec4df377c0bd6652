/**
 * Finds things in runbook text that look like real credentials. Runbooks show commands, so they are
 * full of `password=`, `Authorization: Bearer` and `token` — with placeholders (`$TOKEN`,
 * `${DB_PASSWORD}`, `<token from vault>`, `$(vault read …)`, `****`). Only literal values are findings.
 */

export type SecretKind = 'private_key' | 'cloud_access_key' | 'bearer_token' | 'secret_assignment';

export interface SecretFinding {
  kind: SecretKind;
  line: number;
  column: number;
  /** The match with its value masked, safe to print in CI logs. */
  excerpt: string;
}

export const SECRET_KIND_LABEL: Record<SecretKind, string> = {
  private_key: 'a private key block',
  cloud_access_key: 'a cloud access key',
  bearer_token: 'a bearer token with a literal value',
  secret_assignment: 'a credential assigned a literal value',
};

const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
/** AWS access key IDs (AKIA long-term, ASIA temporary, …), Google API keys, GitHub and Slack tokens. */
const CLOUD_KEYS =
  /\b(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,})\b/g;
const BEARER = /\bBearer\s+([^\s"'`,;)]+)/gi;
/**
 * `password=…`, `DB_PASSWORD=…`, `--client-secret=…`, `"api_key": "…"`: a secret word that ends the
 * key, `=` (or a quoted key, `:` and a quoted value), then the value. Anchored on the word so that
 * the scan stays linear over large runbooks.
 */
const ASSIGNMENT =
  /(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)(["']?)\s*(?:=|:(?=\s*["']))\s*("[^"]*"|'[^']*'|[^\s"'`,;)&]+)/gi;
const KEY_CHAR = /[A-Za-z0-9_.-]/;

const PLACEHOLDER_VALUE =
  /^(?:\$|<|\{\{|%\(|%[A-Z_]+%|\*+$|x{3,}$|\.{3}|…)|^(?:redacted|placeholder|changeme|example|none|null|true|false|your[_-].*|<.*>)$/i;
const BEARER_PLACEHOLDER =
  /^(?:\$|<|\{\{|%|\*+$|x{3,}$|\.{3}|…)|^(?:token|tokens|auth|authentication|authorization|scheme|header|credentials?|redacted)$/i;

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

function mask(text: string, value: string): string {
  const keep = value.slice(0, Math.min(4, Math.floor(value.length / 4)));
  return text.replace(value, `${keep}${'*'.repeat(Math.max(4, value.length - keep.length))}`);
}

/** Every secret-looking literal in `text`, with 1-based line and column. */
export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  let lineStarts: number[] | null = null;
  const position = (offset: number) => {
    if (lineStarts === null) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
        lineStarts.push(i + 1);
      }
    }
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) {
      line++;
    }
    return { line: line + 1, column: offset - lineStarts[line] + 1 };
  };
  const add = (kind: SecretKind, offset: number, excerpt: string) =>
    findings.push({ kind, ...position(offset), excerpt });

  for (const match of text.matchAll(PRIVATE_KEY)) {
    add('private_key', match.index, match[0]);
  }
  for (const match of text.matchAll(CLOUD_KEYS)) {
    add('cloud_access_key', match.index, mask(match[0], match[0]));
  }
  if (/bearer/i.test(text)) {
    for (const match of text.matchAll(BEARER)) {
      const value = match[1];
      if (value.length >= 12 && !BEARER_PLACEHOLDER.test(value) && /\d/.test(value)) {
        add('bearer_token', match.index, mask(match[0], value));
      }
    }
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const value = unquote(match[2]).trim();
    if (value.length >= 4 && !PLACEHOLDER_VALUE.test(value)) {
      let start = match.index;
      while (start > 0 && KEY_CHAR.test(text[start - 1])) {
        start--;
      }
      add('secret_assignment', start, mask(text.slice(start, match.index + match[0].length), value));
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
