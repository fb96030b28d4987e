import type { Logger } from './logger.ts';

/** What {@link exitOnSignals} needs of a running server. */
export interface Closable {
  close(): Promise<void>;
  readonly logger: Logger;
}

export interface ShutdownOptions {
  /** Exit with code 1 if closing takes longer than this, ms (default 2500). */
  readonly deadlineMs?: number;
  /** How to exit (default `process.exit`). */
  readonly exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT, close the server and exit: clients get Colyseus' shutdown close code (4001), rooms
 * are disposed, and the process ends within `deadlineMs` whether or not Redis answers (every Redis command
 * in shutdown has a budget, see createServer's close). Exits 0 after a clean close, 1 after a failed or
 * late one; a second signal exits at once. The one shutdown path of `lairmind serve` and the load-test
 * server process. Returns a function that removes the handlers.
 */
export function exitOnSignals(running: Closable, opts: ShutdownOptions = {}): () => void {
  const deadlineMs = opts.deadlineMs ?? 2500;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      running.logger.warn({ signal }, 'lairmind: second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    stopping = true;
    const t0 = performance.now();
    running.logger.info({ signal }, 'lairmind: shutting down');
    const timer = setTimeout(() => {
      running.logger.error({ signal, deadlineMs }, `lairmind: shutdown took longer than ${deadlineMs} ms; exiting`);
      exit(1);
    }, deadlineMs);
    timer.unref();
    running.close().then(
      () => {
        clearTimeout(timer);
        running.logger.info({ ms: Math.round(performance.now() - t0) }, 'lairmind: stopped');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        running.logger.error({ error: err instanceof Error ? err.message : String(err) }, 'lairmind: shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
