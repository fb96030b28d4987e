/** Waits `ms` milliseconds, or rejects with the signal's reason when it fires first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Real-timer sleep (backoff between retries is wall-clock time by nature). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
