import type { Mind, MindRequest, ReplyInput } from '../actors/index.ts';
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

  constructor(private readonly minds: Readonly<Record<string, Mind | undefined>>, private readonly sink: ReplySink, private readonly onError: (port: string, err: unknown) => void = () => {}) {}

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
      mind
        .serve(batch, this.controller.signal, tick?.batchTrace)
        .then(
          (replies) => {
            const all = this.deliver(port, batch, replies);
            if (span) tick?.endBatch(span, all);
          },
          (err: unknown) => {
            if (span) tick?.endBatch(span, null, err);
            this.onError(port, err);
            this.sink(batch.map((r) => ({ requestId: r.requestId, ok: false, error: `mind '${port}' failed` })));
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

  private deliver(port: string, batch: readonly MindRequest[], replies: readonly ReplyInput[]): readonly ReplyInput[] {
    const answered = new Set(replies.map((r) => r.requestId));
    const missing = batch.filter((r) => !answered.has(r.requestId));
    const all = missing.length ? [...replies, ...missing.map((r) => ({ requestId: r.requestId, ok: false as const, error: `mind '${port}' gave no answer` }))] : replies;
    this.sink(all);
    return all;
  }
}
