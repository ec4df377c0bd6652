// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// What jsdom lacks for @grafana/ui's Combobox, for every plugin test (app and datasource alike).
// jsdom has no canvas; create-plugin's setup stubs getContext() with undefined, but Combobox measures its
// options' text to size the menu. A 2D context that only measures is enough for it.
Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
  configurable: true,
  value: () => ({ measureText: (text) => ({ width: text.length * 7 }) }),
});
// Combobox's virtual list watches visibility; jsdom has no IntersectionObserver.
class NoopIntersectionObserver {
  root = null;
  rootMargin = '';
  thresholds = [];
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.defineProperty(window, 'IntersectionObserver', {
  configurable: true,
  writable: true,
  value: NoopIntersectionObserver,
});
