// What jsdom lacks for @grafana/ui's Combobox. Imported for its side effects by the datasource's component tests (the app has its own copy: the two bundles share nothing).
// jsdom has no canvas; create-plugin's setup stubs getContext() with undefined, but Combobox measures its
// options' text to size the menu. A 2D context that only measures is enough for it.
Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
  configurable: true,
  value: () => ({ measureText: (text: string) => ({ width: text.length * 7 }) }),
});
// Combobox's virtual list watches visibility; jsdom has no IntersectionObserver.
class NoopIntersectionObserver {
  readonly root = null;
  readonly rootMargin = '';
  readonly thresholds = [];
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.defineProperty(window, 'IntersectionObserver', { configurable: true, writable: true, value: NoopIntersectionObserver });

export {};
