import { prepareRunbookMarkdown, renderRunbookHtml } from './markdown';

function render(markdown: string, resolve?: (href: string) => string | null) {
  const container = document.createElement('div');
  container.innerHTML = renderRunbookHtml(markdown, resolve);
  return container;
}

describe('runbook markdown', () => {
  it('renders headings, lists and code', () => {
    const html = render('# Title\n\n- one\n- two\n\n```promql\nsum(rate(x[5m]))\n```\n');
    expect(html.querySelector('h1')?.textContent).toBe('Title');
    expect(html.querySelectorAll('li')).toHaveLength(2);
    expect(html.querySelector('pre code')?.textContent).toContain('sum(rate(x[5m]))');
  });

  it('never keeps script, event handlers, iframes, forms or inline styles', () => {
    const html = render(
      'Hi <script>window.pwned = 1</script> <img src="x" onerror="window.pwned = 2"> <iframe src="https://evil"></iframe> <form><input></form> <b style="position:fixed" onclick="x()">b</b>'
    );
    expect(html.querySelector('script, iframe, form, input, object, embed')).toBeNull();
    for (const element of Array.from(html.querySelectorAll('*'))) {
      expect(element.getAttributeNames().filter((name) => /^on|^style$/i.test(name))).toEqual([]);
    }
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it('drops javascript: and data: links', () => {
    const html = render('[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](JaVaScRiPt:alert(1))');
    for (const anchor of Array.from(html.querySelectorAll('a'))) {
      expect(anchor.getAttribute('href') ?? '').not.toMatch(/^(javascript|data):/i);
    }
  });

  it('opens external links in a new tab without an opener', () => {
    const anchor = render('[docs](https://grafana.com/docs/)').querySelector('a');
    expect(anchor?.getAttribute('href')).toBe('https://grafana.com/docs/');
    expect(anchor?.getAttribute('target')).toBe('_blank');
    expect(anchor?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('turns links to other runbooks into app links and drops dead repository links', () => {
    const html = render('[rollback](deployment-rollback.md) and [script](../../scripts/x.sh)', (href) =>
      href.endsWith('deployment-rollback.md') ? '/a/opsdeck-ops-app/runbooks/ops.deploy.rollback' : null
    );
    const [rollback, script] = Array.from(html.querySelectorAll('a'));
    expect(rollback.getAttribute('href')).toBe('/a/opsdeck-ops-app/runbooks/ops.deploy.rollback');
    expect(rollback.getAttribute('data-internal')).toBe('true');
    expect(script.hasAttribute('href')).toBe(false);
    expect(script.textContent).toBe('script');
  });

  it('removes images that are not absolute http(s)', () => {
    const html = render('![a](https://example.com/a.png) ![b](javascript:alert(1))');
    const images = html.querySelectorAll('img');
    expect(images).toHaveLength(1);
    expect(images[0].getAttribute('referrerpolicy')).toBe('no-referrer');
  });
});

describe('prepareRunbookMarkdown', () => {
  it('drops a first heading equal to the page title, and only that', () => {
    expect(prepareRunbookMarkdown('# Outbox relay degraded\n\n## Meaning', 'Outbox relay degraded')).toBe(
      '\n## Meaning'
    );
    expect(prepareRunbookMarkdown('# Something else\n', 'Outbox relay degraded')).toBe('# Something else\n');
  });

  it('turns task-list markers into plain bullets outside fenced code only: no inert ☐ beside the real checklist (issue 15)', () => {
    const source = '- [ ] 1. Restart\n- [x] done\n```\n- [ ] literal\n```\n  * [ ] nested';
    expect(prepareRunbookMarkdown(source)).toBe('- 1\\. Restart\n- done\n```\n- [ ] literal\n```\n  * nested');
  });

  it('keeps a numbered task as text, not a nested ordered list', () => {
    const container = document.createElement('div');
    container.innerHTML = renderRunbookHtml('- [ ] 2. Throughput: raise the batch size');
    expect(container.querySelector('ol')).toBeNull();
    expect(container.querySelector('li')?.textContent).toBe('2. Throughput: raise the batch size');
    expect(container.textContent).not.toMatch(/[☐☑]/);
  });
});
