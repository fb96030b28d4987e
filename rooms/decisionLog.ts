import type { ActorId, MindRequest, ReplyInput } from '../actors/index.ts';

/** One mind answer an actor received, summarised for inspection. */
export interface DecisionRecord {
  /** Simulation tick the reply was queued after. */
  readonly tick: number;
  /** Mind port: `think`, `plan`, `chat`, `personality`. */
  readonly port: string;
  readonly ok: boolean;
  /** The decision (think: the action; plan: the orders; chat: the intent; personality: the temperament). */
  readonly summary: string;
  /** Where it came from: `model`/`fallback` (think), the provider (plan), `local` …, or the error. */
  readonly source: string;
  readonly confidence?: number;
}

/** Records kept per actor, and requests remembered while their answers are outstanding. */
const PER_ACTOR = 12;
const MAX_OUTSTANDING = 100_000;

/**
 * Remembers the latest mind answers of each actor (the "recent decisions with their source" of the inspector):
 * requests are noted when a step hands them out, answers when the minds reply. Bounded per actor and overall.
 */
export class DecisionLog {
  private readonly outstanding = new Map<number, { readonly actor: ActorId; readonly port: string }>();
  private readonly byActor = new Map<ActorId, DecisionRecord[]>();
  /** Counts of answers by port and source (e.g. `plan` → { openai: 3, local: 1 }). */
  readonly bySource = new Map<string, Map<string, number>>();

  /** Note a step's requests. */
  asked(requests: readonly MindRequest[]): void {
    for (const r of requests) {
      if (this.outstanding.size >= MAX_OUTSTANDING) {
        const oldest = this.outstanding.keys().next().value as number;
        this.outstanding.delete(oldest);
      }
      this.outstanding.set(r.requestId, { actor: r.actor, port: r.port });
    }
  }

  /** Note an answer, at simulation tick `tick`. */
  replied(reply: ReplyInput, tick: number): void {
    const req = this.outstanding.get(reply.requestId);
    if (!req) return;
    this.outstanding.delete(reply.requestId);
    const rec = summarise(req.port, reply, tick);
    let list = this.byActor.get(req.actor);
    if (!list) this.byActor.set(req.actor, (list = []));
    list.push(rec);
    if (list.length > PER_ACTOR) list.shift();
    let counts = this.bySource.get(req.port);
    if (!counts) this.bySource.set(req.port, (counts = new Map()));
    counts.set(rec.source, (counts.get(rec.source) ?? 0) + 1);
  }

  /** The latest answers of an actor, oldest first. */
  of(actor: ActorId): readonly DecisionRecord[] {
    return this.byActor.get(actor) ?? [];
  }

  /** Forget actors that left the world. */
  forget(actors: readonly ActorId[]): void {
    for (const id of actors) this.byActor.delete(id);
  }

  /** Answer counts as plain data: port → source → count. */
  sources(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [port, m] of this.bySource) out[port] = Object.fromEntries(m);
    return out;
  }
}

/** Summarise one answer: what was decided and by which source. */
export function summarise(port: string, reply: ReplyInput, tick: number): DecisionRecord {
  if (!reply.ok) return { tick, port, ok: false, summary: '', source: `error: ${reply.error}`.slice(0, 120) };
  const v = (reply.value ?? {}) as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  const src = v.source as Record<string, unknown> | string | undefined;
  // Plans carry `source: { provider, model, cached }`; think decisions `source: 'model' | 'fallback'`.
  const source = str(src) ?? (src && typeof src === 'object' ? str(src.provider) : undefined) ?? str(v.provider) ?? (port === 'plan' ? 'unknown' : 'local');
  let summary: string;
  switch (port) {
    case 'think':
      summary = str(v.action) ?? '?';
      break;
    case 'chat':
      summary = str(v.intent) ?? '?';
      break;
    case 'personality':
      summary = str(v.temperament) ?? '?';
      break;
    default: {
      const plan = (v.plan ?? v) as Record<string, unknown> | string;
      summary = typeof plan === 'string' ? plan : str(plan.formation) ?? JSON.stringify(plan).slice(0, 200);
    }
  }
  const confidence = typeof v.confidence === 'number' ? v.confidence : undefined;
  return confidence === undefined ? { tick, port, ok: true, summary, source } : { tick, port, ok: true, summary, source, confidence };
}
