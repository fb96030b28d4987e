import type { Logger } from './logger.ts';

/** What Colyseus calls on the logger it is given (`defineServer({ logger })`). */
export interface ColyseusLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
}

export interface ColyseusLogOptions {
  /** Lines of one kind written per window; the rest are counted (default 5). */
  readonly perKind?: number;
  /** Window length in ms (default 60,000). */
  readonly windowMs?: number;
  /** Milliseconds now (injected for tests). */
  readonly now?: () => number;
}

/** Kinds remembered per window: past this, further new kinds are counted together. */
const MAX_KINDS = 256;

/** First line of a message with numbers and ids blurred: lines that differ only there are one kind. */
function kindOf(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  return first.slice(0, 120).replace(/[0-9a-zA-Z_-]{9,}/g, '#').replace(/\d+/g, '#');
}

function textOf(args: readonly unknown[]): string {
  return args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/**
 * Colyseus' own log lines (stack traces of frames it could not read, oversized messages, refused reconnection
 * tokens: things any client can make it print) as structured pino lines with `component: "colyseus"`, at most
 * `perKind` of each kind per window; when a window ends, one line says how many of each kind were left out.
 * Without this, one client could fill the log. Stack traces are kept in `stack`, cut to 2,000 characters.
 */
export function colyseusLogger(logger: Logger, opts: ColyseusLogOptions = {}): ColyseusLogger {
  const perKind = opts.perKind ?? 5;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? (() => performance.now());
  let windowStart = now();
  const seen = new Map<string, { count: number; level: 'warn' | 'error' | 'info' }>();
  let overflow = 0;

  const flush = (): void => {
    for (const [kind, s] of seen) {
      if (s.count > perKind) logger[s.level]({ component: 'colyseus', kind, suppressed: s.count - perKind, windowMs }, `colyseus: ${s.count - perKind} more lines like this were left out`);
    }
    if (overflow > 0) logger.warn({ component: 'colyseus', suppressed: overflow, windowMs }, `colyseus: ${overflow} lines of other kinds were left out`);
    seen.clear();
    overflow = 0;
  };

  const rollIfDue = (): void => {
    const t = now();
    if (t - windowStart < windowMs) return;
    flush();
    windowStart = t;
  };
  // The count of what was left out is written when the window ends, even if nothing else is logged.
  setInterval(rollIfDue, windowMs).unref();

  const write = (level: 'info' | 'warn' | 'error', args: readonly unknown[]): void => {
    rollIfDue();
    const text = textOf(args);
    const kind = kindOf(text);
    let s = seen.get(kind);
    if (!s) {
      if (seen.size >= MAX_KINDS) {
        overflow++;
        return;
      }
      s = { count: 0, level };
      seen.set(kind, s);
    }
    if (++s.count > perKind) return;
    const newline = text.indexOf('\n');
    const message = newline < 0 ? text : text.slice(0, newline);
    logger[level]({ component: 'colyseus', ...(newline >= 0 && { stack: text.slice(newline + 1, newline + 2001) }) }, `colyseus: ${message.slice(0, 500)}`);
  };

  return {
    debug: (...args) => logger.isLevelEnabled('debug') && logger.debug({ component: 'colyseus' }, textOf(args).slice(0, 2000)),
    trace: (...args) => logger.isLevelEnabled('trace') && logger.trace({ component: 'colyseus' }, textOf(args).slice(0, 2000)),
    info: (...args) => write('info', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
  };
}
