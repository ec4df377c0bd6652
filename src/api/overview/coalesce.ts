/**
 * Request coalescing without staleness: callers that ask for the same key while a computation is
 * running wait for the *next* computation, which starts after the running one ends, and share its
 * result. Every caller therefore gets data read after it asked — nothing is cached — while under load
 * one computation serves every caller that arrived during the previous one.
 */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface KeyState<T> {
  running: boolean;
  waiting: Array<Waiter<T>>;
}

export function coalescing<T>(work: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const states = new Map<string, KeyState<T>>();

  const start = (key: string, state: KeyState<T>) => {
    const batch = state.waiting;
    state.waiting = [];
    state.running = true;
    Promise.resolve()
      .then(() => work(key))
      .then(
        (value) => batch.forEach((waiter) => waiter.resolve(value)),
        (error: unknown) => batch.forEach((waiter) => waiter.reject(error))
      )
      .finally(() => {
        state.running = false;
        if (state.waiting.length > 0) {
          start(key, state);
        } else {
          states.delete(key);
        }
      });
  };

  return (key) =>
    new Promise<T>((resolve, reject) => {
      let state = states.get(key);
      if (!state) {
        state = { running: false, waiting: [] };
        states.set(key, state);
      }
      state.waiting.push({ resolve, reject });
      if (!state.running) {
        start(key, state);
      }
    });
}
