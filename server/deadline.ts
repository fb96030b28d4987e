/** Thrown by {@link withDeadline} when the work takes longer than its deadline. */
export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${Math.round(ms)} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * `work`, or a {@link DeadlineError} after `ms` milliseconds (at once when `ms` ≤ 0). The work is not
 * cancelled; its late result is dropped and a late rejection is caught, so it never goes unhandled.
 */
export async function withDeadline<T>(what: string, work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => undefined);
  if (ms <= 0) throw new DeadlineError(what, 0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
