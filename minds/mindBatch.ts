import type { MindRequest, ReplyInput } from '../actors/index.ts';
import type { MindStats } from './mindStats.ts';

/** The error reply to request `requestId`. */
export const failReply = (requestId: number, error: string): ReplyInput => ({ requestId, ok: false, error });

/** Index of the largest of the first `k` values of `p` (the first on ties). */
export function argmax(p: ArrayLike<number>, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

/** Splits a batch into valid payloads (in order) and error replies (by index). */
export function triage<T>(requests: readonly MindRequest[], problem: (p: unknown) => string | undefined, signal: AbortSignal | undefined, stats: MindStats): { idx: number[]; payloads: T[]; replies: (ReplyInput | undefined)[] } {
  const replies: (ReplyInput | undefined)[] = new Array(requests.length);
  const idx: number[] = [], payloads: T[] = [];
  const aborted = signal?.aborted ?? false;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as MindRequest;
    const why = aborted ? 'aborted' : problem(r.payload);
    if (why) {
      replies[i] = failReply(r.requestId, why);
      stats.errors++;
    } else {
      idx.push(i);
      payloads.push(r.payload as T);
    }
  }
  return { idx, payloads, replies };
}
