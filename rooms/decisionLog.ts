import type { ActorId, MindRequest, ReplyInput, World } from '../actors/index.ts';
import type { NamedActor } from './actorNames.ts';
import { decisionVerdict, requestContext } from './decisionVerdict.ts';
import type { RequestContext } from './decisionVerdict.ts';

/** One mind answer an actor received, summarised for inspection. */
export interface DecisionRecord {
  /** Simulation tick the reply was queued after. */
  readonly tick: number;
  /** Mind port: `think`, `plan`, `chat`, `personality`. */
  readonly port: string;
  readonly ok: boolean;
  /** The decision (think: the action; plan: the formation; chat: the intent; personality: the temperament). */
  readonly summary: string;
  /** Where it came from: `model`/`fallback` (think), the provider (plan), `local` …, or the error. */
  readonly source: string;
  readonly confidence?: number;
  /** What the actor went for once it had the answer (think: its target; chat: who spoke), by name and id. */
  readonly target: NamedActor | null;
  /** Why, in words: who decided and what the actor saw when it asked. */
  readonly reason: string;
  /**
   * Whether the actor acted on it, judged on the tick the answer was delivered: true, false, or null while that
   * tick has not run (or when there is nothing to follow, e.g. a chat reply).
   */
  readonly followed: boolean | null;
  /** What the actor did instead, or how it followed, in words ('' until judged). */
  readonly outcome: string;
}

/** Records kept per actor, and requests remembered while their answers are outstanding. */
const PER_ACTOR = 12;
const MAX_OUTSTANDING = 100_000;

interface Outstanding {
  readonly actor: ActorId;
  readonly port: string;
  readonly request: RequestContext;
}

/**
 * Remembers the latest mind answers of each actor (the "recent decisions with target, reason and whether they were
 * followed" of the inspector): requests are noted when a step hands them out, answers when the minds reply, and the
 * answers are judged after the step that delivered them. Bounded per actor and overall.
 */
export class DecisionLog {
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly byActor = new Map<ActorId, DecisionRecord[]>();
  /** Answers waiting for the step that delivers them, to be judged after it. */
  private unjudged: { actor: ActorId; record: DecisionRecord; request: RequestContext }[] = [];
  /** Counts of answers by port and source (e.g. `plan` → { openai: 3, local: 1 }). */
  readonly bySource = new Map<string, Map<string, number>>();

  /** Note a step's requests. */
  asked(requests: readonly MindRequest[]): void {
    for (const r of requests) {
      if (this.outstanding.size >= MAX_OUTSTANDING) {
        const oldest = this.outstanding.keys().next().value as number;
        this.outstanding.delete(oldest);
      }
      this.outstanding.set(r.requestId, { actor: r.actor, port: r.port, request: requestContext(r.port, r.payload) });
    }
  }

  /** Note an answer, at simulation tick `tick`. */
  replied(reply: ReplyInput, tick: number): void {
    const req = this.outstanding.get(reply.requestId);
    if (!req) return;
    this.outstanding.delete(reply.requestId);
    const rec = summarise(req.port, reply, tick, req.request.context);
    let list = this.byActor.get(req.actor);
    if (!list) this.byActor.set(req.actor, (list = []));
    list.push(rec);
    if (list.length > PER_ACTOR) list.shift();
    if (this.unjudged.length < MAX_OUTSTANDING) this.unjudged.push({ actor: req.actor, record: rec, request: req.request });
    let counts = this.bySource.get(req.port);
    if (!counts) this.bySource.set(req.port, (counts = new Map()));
    counts.set(rec.source, (counts.get(rec.source) ?? 0) + 1);
  }

  /**
   * After a step: judge the answers it delivered against what each actor did (its state now). Costs nothing when
   * no answer arrived; answers that arrive during the step wait for the next one.
   */
  judge(world: World, delivered: number): void {
    if (this.unjudged.length === 0 || delivered === 0) return;
    const due = this.unjudged.slice(0, delivered);
    this.unjudged = this.unjudged.slice(delivered);
    for (const { actor, record, request } of due) {
      const list = this.byActor.get(actor);
      const i = list ? list.indexOf(record) : -1;
      if (!list || i < 0) continue;
      const verdict = decisionVerdict(world, actor, record, request);
      list[i] = { ...record, ...verdict };
    }
  }

  /** Answers noted but not yet delivered to the simulation. */
  get waiting(): number {
    return this.unjudged.length;
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

/** Summarise one answer: what was decided and by which source (not yet judged: `followed` null). */
export function summarise(port: string, reply: ReplyInput, tick: number, context = ''): DecisionRecord {
  const unjudged = { target: null, followed: null, outcome: '' } as const;
  if (!reply.ok) {
    const error = `error: ${reply.error}`.slice(0, 120);
    return { tick, port, ok: false, summary: '', source: error, ...unjudged, reason: `the ${port} mind failed (${reply.error.slice(0, 100)})` };
  }
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
  const reason = [sourceWords(port, source, confidence), context].filter(Boolean).join('; ');
  const rec = { tick, port, ok: true, summary, source, ...unjudged, reason };
  return confidence === undefined ? rec : { ...rec, confidence };
}

/** Who decided, in words: "the decision model, 87% sure", "the fallback rules", "OpenAI". */
function sourceWords(port: string, source: string, confidence: number | undefined): string {
  const sure = confidence === undefined ? '' : `, ${Math.round(confidence * 100)}% sure`;
  if (port === 'think') return `${source === 'model' ? 'the decision model' : source === 'fallback' ? 'the fallback rules' : source}${sure}`;
  if (port === 'plan') return source === 'local' ? 'the local tactician (the gateway answered locally)' : `the ${source} model`;
  if (port === 'chat') return `the ${source === 'model' ? 'chat model' : source === 'local' ? 'local chat mind' : `${source} chat model`}${sure}`;
  return `the ${port} mind (${source})`;
}

