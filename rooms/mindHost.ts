import type { Mind, MindHooks, MindRequest, ReplyInput } from '../actors/index.ts';
import type { TracedTick } from './tickTracing.ts';

/** Called with a batch's replies once its mind has answered. */
export type ReplySink = (replies: readonly ReplyInput[]) => void;

/**
 * Serves a step's mind requests without blocking it: groups them by port, hands each group to the mind for that
 * port as one batch, and passes the replies on when they arrive (the room queues them for a later step). A port
 * without a mind, a mind that throws, and a mind that leaves requests unanswered all get error replies, so actors
 * never wait for their deadline on a known failure. The batches of a traced tick get a span each, and their minds
 * a link to the tick.
 */
export class MindHost {
  /** Batches handed to minds and not answered yet. */
  inFlight = 0;
  private readonly controller = new AbortController();

  /**
   * `hooks` are what the room offers its minds beyond the batch: where streamed speech goes, the room's id and LLM
   * limits. Early replies (`hooks.early`) are handled here.
   */
  constructor(
    private readonly minds: Readonly<Record<string, Mind | undefined>>,
    private readonly sink: ReplySink,
    private readonly onError: (port: string, err: unknown) => void = () => {},
    private readonly hooks: Omit<MindHooks, 'early'> = {},
  ) {}

  /** Dispatch one step's requests; `tick` when the step is traced. */
  dispatch(requests: readonly MindRequest[], tick?: TracedTick): void {
    if (requests.length === 0) return;
    const byPort = new Map<string, MindRequest[]>();
    for (const r of requests) {
      const list = byPort.get(r.port);
      if (list) list.push(r);
      else byPort.set(r.port, [r]);
    }
    for (const [port, batch] of byPort) {
      const mind = this.minds[port];
      if (!mind) {
        this.sink(batch.map((r) => ({ requestId: r.requestId, ok: false, error: `no mind serves port '${port}'` })));
        continue;
      }
      const span = tick?.startBatch(port, batch.length);
      this.inFlight++;
      const early: ReplyInput[] = [];
      const hooks: MindHooks = {
        ...this.hooks,
        early: (replies) => {
          early.push(...replies);
          this.sink(replies);
        },
      };
      mind
        .serve(batch, this.controller.signal, tick?.batchTrace, hooks)
        .then(
          (replies) => {
            const all = this.deliver(port, batch, replies, early);
            if (span) tick?.endBatch(span, all);
          },
          (err: unknown) => {
            if (span) tick?.endBatch(span, null, err);
            this.onError(port, err);
            const answered = new Set(early.map((r) => r.requestId));
            this.sink(batch.filter((r) => !answered.has(r.requestId)).map((r) => ({ requestId: r.requestId, ok: false, error: `mind '${port}' failed` })));
          },
        )
        .finally(() => {
          this.inFlight--;
        });
    }
  }

  /** Stop: in-flight answers are ignored by their minds if they honour the signal. */
  close(): void {
    this.controller.abort();
  }

  private deliver(port: string, batch: readonly MindRequest[], replies: readonly ReplyInput[], early: readonly ReplyInput[]): readonly ReplyInput[] {
    const before = new Set(early.map((r) => r.requestId));
    const fresh = before.size ? replies.filter((r) => !before.has(r.requestId)) : replies;
    const answered = new Set([...before, ...fresh.map((r) => r.requestId)]);
    const missing = batch.filter((r) => !answered.has(r.requestId));
    const all = missing.length ? [...fresh, ...missing.map((r) => ({ requestId: r.requestId, ok: false as const, error: `mind '${port}' gave no answer` }))] : fresh;
    this.sink(all);
    return before.size ? [...early, ...all] : all;
  }
}
