/**
 * Issue 17 item 10 and its XSS corpus: every payload goes through the runbook renderer, and what comes
 * out may carry no script, no event handler, no style, no dangerous URL in any attribute, and no link
 * marked internal (data-internal) that a browser would resolve off-site (`/\evil.example`, `//evil`,
 * `/%5Cevil`, tabs inside the scheme…).
 */
import { renderRunbookHtml } from './markdown';

const ORIGIN = 'https://grafana.example';
const resolver = (href: string) =>
  href.endsWith('.md') ? `/a/opsdeck-app/runbooks/${href.replace(/\.md$/, '')}` : null;

/** 100 payloads: classic vectors, mXSS, srcdoc, entity-encoded schemes, backslash and protocol-relative links. */
export const XSS_CORPUS: string[] = [
  // script and handlers
  '<script>window.pwned=1</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=window.pwned=1>',
  '<img src="https://ok.example/a.png" onload="window.pwned=1">',
  '<svg onload=window.pwned=1>',
  '<svg><script>window.pwned=1</script></svg>',
  '<body onload=window.pwned=1>',
  '<div onmouseover="window.pwned=1">hover</div>',
  '<details open ontoggle=window.pwned=1>',
  '<video><source onerror="window.pwned=1"></video>',
  '<audio src=x onerror=window.pwned=1>',
  '<input autofocus onfocus=window.pwned=1>',
  '<marquee onstart=window.pwned=1>',
  '<select autofocus onfocus=window.pwned=1>',
  '<textarea autofocus onfocus=window.pwned=1>',
  '<keygen autofocus onfocus=window.pwned=1>',
  '<isindex type=image src=1 onerror=window.pwned=1>',
  '<object data="javascript:window.pwned=1">',
  '<embed src="javascript:window.pwned=1">',
  '<applet code="javascript:window.pwned=1">',
  // iframes, srcdoc, frames, base, meta, link
  '<iframe src="javascript:window.pwned=1"></iframe>',
  '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
  '<iframe srcdoc="&lt;img src=x onerror=parent.pwned=1&gt;"></iframe>',
  '<frameset><frame src="javascript:window.pwned=1"></frameset>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<link rel=import href="https://evil.example/x.html">',
  // forms
  '<form action="javascript:window.pwned=1"><button>go</button></form>',
  '<button formaction="javascript:window.pwned=1">go</button>',
  '<form><input type=submit formaction=javascript:window.pwned=1></form>',
  // styles
  '<style>body{background:url(javascript:window.pwned=1)}</style>',
  '<div style="background-image:url(javascript:window.pwned=1)">x</div>',
  '<div style="width:expression(window.pwned=1)">x</div>',
  '<b style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</b>',
  // javascript: in links, plain and obfuscated
  '[a](javascript:window.pwned=1)',
  '[a](JaVaScRiPt:window.pwned=1)',
  '[a](javascript&#58;window.pwned=1)',
  '[a](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.pwned=1)',
  '[a](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;window.pwned=1)',
  '[a](java%0ascript:window.pwned=1)',
  '[a](%6A%61%76%61%73%63%72%69%70%74:window.pwned=1)',
  '<a href="javascript:window.pwned=1">a</a>',
  '<a href="  javascript:window.pwned=1">a</a>',
  '<a href="java\tscript:window.pwned=1">a</a>',
  '<a href="java&#9;script:window.pwned=1">a</a>',
  '<a href="java&#x0A;script:window.pwned=1">a</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058window.pwned=1">a</a>',
  '<a href="jav&#x09;ascript:window.pwned=1">a</a>',
  '<a href="vbscript:msgbox(1)">a</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
  '[a](data:text/html,<script>window.pwned=1</script>)',
  '<a href="livescript:window.pwned=1">a</a>',
  '<a href="javascript&colon;window.pwned=1">a</a>',
  '<svg><a xlink:href="javascript:window.pwned=1"><text x="20" y="20">x</text></a></svg>',
  '<math><a xlink:href="javascript:window.pwned=1">x</a></math>',
  '![img](javascript:window.pwned=1)',
  '<img src="javascript:window.pwned=1">',
  '<img srcset="javascript:window.pwned=1 1x">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  // backslash, protocol-relative and other off-site "internal" links
  '<a href="/\\evil.example">x</a>',
  '[x](/\\evil.example)',
  '<a href="/\\/evil.example">x</a>',
  '<a href="\\\\evil.example">x</a>',
  '<a href="//evil.example">x</a>',
  '[x](//evil.example/path)',
  '<a href="///evil.example">x</a>',
  '<a href="/%5Cevil.example">x</a>',
  '<a href="/%5C%5Cevil.example">x</a>',
  '<a href="/\t/evil.example">x</a>',
  '<a href="/&#9;/evil.example">x</a>',
  '<a href="/&#10;/evil.example">x</a>',
  '<a href="/\n/evil.example">x</a>',
  '<a href="/ /evil.example">x</a>',
  '<a href="https:evil.example">x</a>',
  '<a href="http://evil.example@grafana.example">x</a>',
  '<a href="/..\\..\\evil.example">x</a>',
  '[x](<//evil.example>)',
  '[x]( //evil.example )',
  // mXSS and parser confusion
  '<noscript><p title="</noscript><img src=x onerror=window.pwned=1>">',
  '<svg></p><style><a id="</style><img src=1 onerror=window.pwned=1>">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=1>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.pwned=1>',
  '<svg><style><img src=x onerror=window.pwned=1></style></svg>',
  '<listing>&lt;img src=x onerror=window.pwned=1&gt;</listing>',
  '<xmp><img src=x onerror=window.pwned=1></xmp>',
  '<template><img src=x onerror=window.pwned=1></template>',
  '<!--<img src="--><img src=x onerror=window.pwned=1//">',
  '<![CDATA[<img src=x onerror=window.pwned=1>]]>',
  '<title><img src=x onerror=window.pwned=1></title>',
  '<textarea><img src=x onerror=window.pwned=1></textarea>',
  '<a href="x" id="</a><img src=x onerror=window.pwned=1>">a</a>',
  '<img """><script>window.pwned=1</script>">',
  '<img src=`x`onerror=window.pwned=1>',
  '<scr<script>ipt>window.pwned=1</scr</script>ipt>',
  // markdown-specific
  '[x](javascript:window.pwned=1 "title")',
  '[x]: javascript:window.pwned=1\n\n[link][x]',
  '<javascript:window.pwned=1>',
  '```html\n<script>window.pwned=1</script>\n```',
  '`<img src=x onerror=window.pwned=1>`',
  '[ok](other-runbook.md) and [bad](../../etc/passwd)',
];

const DANGEROUS_URL = /^(?:javascript|vbscript|livescript|data):/i;
const URL_ATTRIBUTES = ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'data'];

/** What the browser would see as the URL: control characters and whitespace are stripped from schemes. */
const normalisedUrl = (value: string) => value.replace(/[\u0000-\u0020\u007f]+/g, '');

function render(markdown: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = renderRunbookHtml(markdown, resolver);
  return container;
}

function violations(container: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of Array.from(container.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase();
    if (
      [
        'script',
        'style',
        'iframe',
        'frame',
        'frameset',
        'object',
        'embed',
        'applet',
        'base',
        'meta',
        'link',
        'form',
      ].includes(tag)
    ) {
      found.push(`<${tag}> survived`);
    }
    for (const name of element.getAttributeNames()) {
      const value = element.getAttribute(name) ?? '';
      if (/^on/i.test(name)) {
        found.push(`${tag}[${name}] handler survived`);
      }
      if (name === 'style' || name === 'srcdoc') {
        found.push(`${tag}[${name}] survived`);
      }
      if (URL_ATTRIBUTES.includes(name.toLowerCase()) && DANGEROUS_URL.test(normalisedUrl(value))) {
        found.push(`${tag}[${name}=${value}] dangerous URL survived`);
      }
    }
    if (tag === 'a' && element.hasAttribute('data-internal')) {
      const href = element.getAttribute('href') ?? '';
      let origin = 'unparseable';
      try {
        origin = new URL(href, `${ORIGIN}/a/opsdeck-app/runbooks/x`).origin;
      } catch {
        // counted below
      }
      if (origin !== ORIGIN || href.includes('\\')) {
        found.push(`internal link ${JSON.stringify(href)} resolves to ${origin}`);
      }
    }
  }
  return found;
}

describe('runbook renderer against the XSS corpus', () => {
  it('has at least 80 payloads', () => {
    expect(new Set(XSS_CORPUS).size).toBeGreaterThanOrEqual(80);
  });

  it.each(XSS_CORPUS.map((payload, index) => [index, payload]))(
    'payload %i leaves nothing dangerous: %s',
    (_index, payload) => {
      const container = render(String(payload));
      expect(violations(container)).toEqual([]);
      // Also when the payload sits inside ordinary runbook text.
      expect(violations(render(`# Runbook\n\nStep one.\n\n${String(payload)}\n\n- [ ] check`))).toEqual([]);
      expect((window as { pwned?: unknown }).pwned).toBeUndefined();
    }
  );

  it('keeps genuine internal links internal, and drops backslash and protocol-relative ones', () => {
    const container = render(
      '[dash](/d/abc?orgId=1#panel) [rb](other-runbook.md) <a href="/\\evil.example">bs</a> [pr](//evil.example)'
    );
    const links = Array.from(container.querySelectorAll('a')).map((a) => [
      a.textContent,
      a.getAttribute('href'),
      a.hasAttribute('data-internal'),
    ]);
    expect(links).toEqual([
      ['dash', '/d/abc?orgId=1#panel', true],
      ['rb', '/a/opsdeck-app/runbooks/other-runbook', true],
      ['bs', null, false],
      ['pr', null, false],
    ]);
  });
});
