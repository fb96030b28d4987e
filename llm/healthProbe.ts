import { ValidationError } from '../shared/index.ts';
import type { Clock } from '../shared/index.ts';
import { LlmError, ProviderError } from './errors.ts';
import type { LiveStats } from './liveStats.ts';
import type { ProviderRequest } from './types.ts';

/** When and how long to check idle deployments. */
export interface HealthProbeOptions {
  /** How often to look for idle deployments, ms (default 60 000). */
  readonly intervalMs?: number;
  /** Check a deployment with no attempt and no check for this long, ms (default 300 000). */
  readonly idleMs?: number;
  /** Deadline of one check, ms (default 5 000). */
  readonly timeoutMs?: number;
  /** Most checks in flight at once (default 2). */
  readonly maxConcurrent?: number;
}

/**
 * Send one tiny request to a deployment (see {@link probeRequest}). Resolve when it answered; throw a ProviderError
 * when it failed, or another LlmError (a budget refusal) to skip the check without recording anything.
 */
export type ProbeSend = (modelId: string, signal: AbortSignal) => Promise<unknown>;

/** What one check found. */
export interface ProbeResult {
  readonly id: string;
  /** `ok`, a failure kind, or `skipped` (the send refused, e.g. a budget). */
  readonly outcome: string;
  readonly ms: number;
}

export interface HealthProbeDeps {
  readonly stats: LiveStats;
  readonly clock: Clock;
  /** The deployments to watch (model ids). */
  readonly models: () => readonly string[];
  readonly send: ProbeSend;
  /** Deployments not to check now (e.g. resting after a Retry-After). */
  readonly skip?: (modelId: string) => boolean;
}

/** The request a check sends: one token of output, no schema. */
export function probeRequest(model: string, timeoutMs: number): ProviderRequest {
  return { model, system: 'Health check.', messages: [{ role: 'user', content: 'Reply with the word ok.' }], temperature: 0, maxTokens: 1, timeoutMs: Math.max(1, Math.floor(timeoutMs)) };
}

/** Rough prompt tokens of {@link probeRequest}, for a reservation. */
export const PROBE_INPUT_TOKENS = 32;

class ProbeDeadline extends Error {}

/**
 * Active health checks: every `intervalMs`, each watched deployment idle for `idleMs` (no real attempt and no
 * check) gets one tiny request with a deadline, and the outcome goes to {@link LiveStats.recordProbe}. A failed check
 * marks the deployment unhealthy for routing until a real attempt succeeds; a reply that came back unusable (empty
 * text at one token) still counts as an answer. Off unless started.
 */
export class HealthProbe {
  readonly intervalMs: number;
  readonly idleMs: number;
  readonly timeoutMs: number;
  readonly maxConcurrent: number;
  private readonly deps: HealthProbeDeps;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<readonly ProbeResult[]> | undefined;
  private readonly inFlight = new Set<AbortController>();
  private stopping = false;

  constructor(deps: HealthProbeDeps, opts: HealthProbeOptions = {}) {
    const issues: { path: string[]; message: string }[] = [];
    const num = (name: keyof HealthProbeOptions, min: number, def: number): number => {
      const v = opts[name];
      if (v === undefined) return def;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) issues.push({ path: [name], message: `expected a number >= ${min}, got ${String(v)}` });
      return v;
    };
    this.intervalMs = num('intervalMs', 10, 60_000);
    this.idleMs = num('idleMs', 0, 300_000);
    this.timeoutMs = num('timeoutMs', 1, 5_000);
    this.maxConcurrent = Math.floor(num('maxConcurrent', 1, 2));
    if (issues.length) throw new ValidationError('health check options', issues);
    this.deps = deps;
  }

  /** Deployments idle long enough to check now, oldest activity first. */
  due(): string[] {
    const now = this.deps.clock.now();
    const idle: { id: string; last: number }[] = [];
    for (const id of this.deps.models()) {
      if (this.deps.skip?.(id)) continue;
      const last = this.deps.stats.lastActivityAt(id) ?? -Infinity;
      if (now - last >= this.idleMs) idle.push({ id, last });
    }
    return idle.sort((a, b) => a.last - b.last || (a.id < b.id ? -1 : 1)).map((x) => x.id);
  }

  /** Check every due deployment now (at most `maxConcurrent` at once); resolves when each has answered or hit its deadline. */
  runOnce(): Promise<readonly ProbeResult[]> {
    // One round at a time: a round still running when the timer fires again is not doubled.
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Check on an interval until {@link stop}. The timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref?.();
  }

  /** Stop the interval and abort checks in flight; resolves when the current round has ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    for (const ac of this.inFlight) ac.abort(new DOMException('health checks stopped', 'AbortError'));
    await this.running?.catch(() => undefined);
  }

  private async round(): Promise<readonly ProbeResult[]> {
    this.stopping = false;
    const queue = this.due();
    const results: ProbeResult[] = [];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) results.push(await this.check(id));
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrent, queue.length) }, worker));
    return results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async check(id: string): Promise<ProbeResult> {
    const ac = new AbortController();
    this.inFlight.add(ac);
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The deadline holds even if `send` ignores its signal.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort(new DOMException('health check timed out', 'TimeoutError'));
        reject(new ProbeDeadline());
      }, this.timeoutMs);
    });
    let outcome: string;
    try {
      await Promise.race([this.deps.send(id, ac.signal), deadline]);
      outcome = 'ok';
    } catch (e) {
      if (e instanceof ProbeDeadline) outcome = 'timeout';
      else if (e instanceof ProviderError) outcome = e.kind === 'invalid_output' ? 'ok' : e.kind;
      else if (e instanceof LlmError) outcome = 'skipped';
      else outcome = 'connection';
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(ac);
    }
    const ms = performance.now() - t0;
    if (this.stopping) outcome = 'aborted';
    else if (outcome !== 'skipped') {
      this.deps.stats.recordProbe(id, { ok: outcome === 'ok', latencyMs: ms, ...(outcome !== 'ok' && { errorKind: outcome }), at: this.deps.clock.now() });
    }
    return { id, outcome, ms };
  }
}
