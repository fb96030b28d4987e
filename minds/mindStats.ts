/** Counters of one mind (cumulative since start). */
export interface MindStats {
  requests: number;
  batches: number;
  /** Requests refused (bad payload, aborted). */
  errors: number;
  /** Requests answered by a fallback (plain-JS pass, rule teacher, reply grammar after a model failure). */
  fallbacks: number;
  /** Wall time of the last batch, ms. */
  lastBatchMs: number;
  totalMs: number;
}

export const newStats = (): MindStats => ({ requests: 0, batches: 0, errors: 0, fallbacks: 0, lastBatchMs: 0, totalMs: 0 });
