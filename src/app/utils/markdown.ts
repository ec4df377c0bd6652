// Runbook markdown → HTML that is safe to insert: rendered by Grafana's renderMarkdown (marked + its XSS
// whitelist), then DOMPurify (textUtil.sanitize), then every link is checked once more here.
import { renderMarkdown, textUtil } from '@grafana/data';

export interface LinkResolver {
  /** Maps a relative link in the markdown (e.g. `deployment-rollback.md`) to an app URL, or null. */
  (href: string): string | null;
}

const EXTERNAL = /^(https?:|mailto:)/i;
// Any origin will do: it only tells whether a browser would leave the page's origin for this href.
const SAME_ORIGIN_PROBE = 'https://opsdeck.invalid';

/**
 * The href as a same-origin path, or null when a browser would resolve it anywhere else. Browsers read
 * `\` as `/` and strip tabs and newlines, so `/\evil.example` and `/<tab>/evil.example` are
 * protocol-relative links to evil.example: an href with a backslash or a control character is dropped,
 * and the rest must resolve to the probe's own origin (issue 17 item 10).
 */
function sameOriginPath(href: string): string | null {
  if (!href.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(href)) {
    return null;
  }
  try {
    const url = new URL(href, `${SAME_ORIGIN_PROBE}/`);
    return url.origin === SAME_ORIGIN_PROBE ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}
const RELATIVE = /^(?![a-z][a-z0-9+.-]*:|#|\/)/i;

/**
 * Grafana's sanitiser drops relative hrefs, so links between runbooks (`[x](other.md)`) are resolved
 * to app URLs in the markdown source first; unresolved relative links are then dropped.
 */
function resolveRelativeLinks(markdown: string, resolveLink?: LinkResolver): string {
  if (!resolveLink) {
    return markdown;
  }
  return markdown.replace(
    /(!?)\[([^\]]*)\]\(([^)\s]+)((?:\s+"[^"]*")?)\)/g,
    (whole, bang: string, text: string, href: string, title: string) => {
      if (bang || !RELATIVE.test(href)) {
        return whole;
      }
      const resolved = resolveLink(href);
      return resolved ? `[${text}](${resolved}${title})` : whole;
    }
  );
}

/**
 * Source-level tidying before rendering: the page already shows the runbook's title, so a first `# Title`
 * equal to it is dropped; task-list markers (`- [ ]`) become plain bullets: the sanitiser strips
 * checkboxes, and inert ☐ characters beside the real, interactive checklist panel (which shows each step
 * with its commands) read as a second checklist. Fenced code is left alone.
 */
export function prepareRunbookMarkdown(markdown: string, title?: string): string {
  const lines = markdown.split('\n');
  const firstContent = lines.findIndex((line) => line.trim() !== '');
  if (
    title &&
    firstContent >= 0 &&
    /^#\s+/.test(lines[firstContent]) &&
    lines[firstContent].replace(/^#\s+/, '').trim().toLowerCase() === title.trim().toLowerCase()
  ) {
    lines.splice(firstContent, 1);
  }
  let fenced = false;
  return lines
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return line;
      }
      return fenced
        ? line
        : line
            .replace(/^(\s*[-*+]\s+)\[([ xX])\]\s+/, (_m, bullet: string) => bullet)
            // "- 2. Throughput" would parse as a nested ordered list: keep the number as text.
            .replace(
              /^(\s*[-*+]\s+)(\d+)([.)])(?=\s)/,
              (_m, bullet: string, n: string, dot: string) => `${bullet}${n}\\${dot}`
            );
    })
    .join('\n');
}

/** A step body cut into prose (rendered as markdown) and fenced code (shown with a copy button). */
export type BodySegment = { kind: 'markdown'; text: string } | { kind: 'code'; text: string; language: string };

export function splitFencedCode(markdown: string): BodySegment[] {
  const segments: BodySegment[] = [];
  let prose: string[] = [];
  let code: string[] | null = null;
  let fence = '';
  let language = '';
  const flushProse = () => {
    if (prose.join('').trim() !== '') {
      segments.push({ kind: 'markdown', text: prose.join('\n') });
    }
    prose = [];
  };
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (code === null && marker) {
      flushProse();
      code = [];
      fence = marker[1];
      language = marker[2];
    } else if (code !== null && marker && marker[1][0] === fence[0] && marker[1].length >= fence.length && !marker[2]) {
      segments.push({ kind: 'code', text: code.join('\n'), language });
      code = null;
    } else if (code !== null) {
      code.push(line);
    } else {
      prose.push(line);
    }
  }
  if (code !== null) {
    segments.push({ kind: 'code', text: code.join('\n'), language });
  }
  flushProse();
  return segments;
}

export function renderRunbookHtml(markdown: string, resolveLink?: LinkResolver, title?: string): string {
  const html = textUtil.sanitize(
    renderMarkdown(resolveRelativeLinks(prepareRunbookMarkdown(markdown, title), resolveLink))
  );
  const doc = new DOMParser().parseFromString(`<div id="root">${html}</div>`, 'text/html');
  const root = doc.getElementById('root');
  if (!root) {
    return '';
  }
  root.querySelectorAll('script, style, iframe, object, embed, form, input').forEach((node) => node.remove());
  root.querySelectorAll('*').forEach((element) => {
    for (const attribute of Array.from(element.attributes)) {
      if (/^on/i.test(attribute.name) || attribute.name === 'style') {
        element.removeAttribute(attribute.name);
      }
    }
  });
  root.querySelectorAll('a').forEach((anchor) => {
    const raw = anchor.getAttribute('href') ?? '';
    const safe = textUtil.sanitizeUrl(raw);
    if (!raw || safe === 'about:blank' || /^(javascript|data|vbscript):/i.test(safe)) {
      anchor.removeAttribute('href');
      return;
    }
    if (EXTERNAL.test(safe)) {
      anchor.setAttribute('href', safe);
      anchor.setAttribute('target', '_blank');
      anchor.setAttribute('rel', 'noopener noreferrer');
      return;
    }
    if (safe.startsWith('#')) {
      anchor.setAttribute('href', safe);
      return;
    }
    const internal = sameOriginPath(safe);
    if (internal !== null) {
      // A Grafana path (an app page, a dashboard): navigate inside Grafana.
      anchor.setAttribute('href', internal);
      anchor.setAttribute('data-internal', 'true');
      return;
    }
    // A repository-relative path means nothing inside Grafana: keep the text, drop the dead link.
    anchor.removeAttribute('href');
  });
  root.querySelectorAll('img').forEach((image) => {
    const safe = textUtil.sanitizeUrl(image.getAttribute('src') ?? '');
    if (!EXTERNAL.test(safe)) {
      image.remove();
    } else {
      image.setAttribute('src', safe);
      image.setAttribute('referrerpolicy', 'no-referrer');
      image.setAttribute('loading', 'lazy');
    }
  });
  return root.innerHTML;
}
