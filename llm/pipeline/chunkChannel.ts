/**
 * Text chunks from a running call to the one consumer iterating them. Bounded by the call itself (a reply is at most
 * the preset's `maxOutputChars`). A consumer that stops early cancels the call through {@link cancelled}.
 */
export class ChunkChannel implements AsyncIterator<string> {
  private readonly queue: string[] = [];
  private waiting: { resolve: (r: IteratorResult<string>) => void; reject: (e: unknown) => void } | undefined;
  private done = false;
  private error: unknown;
  private failed = false;
  private readonly cancel = new AbortController();

  /** Aborts when the consumer stops iterating before the end. */
  get cancelled(): AbortSignal {
    return this.cancel.signal;
  }

  push(chunk: string): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve({ value: chunk, done: false });
    } else this.queue.push(chunk);
  }

  end(): void {
    this.done = true;
    this.flush();
  }

  fail(e: unknown): void {
    this.done = true;
    this.failed = true;
    this.error = e;
    this.flush();
  }

  private flush(): void {
    if (!this.waiting || this.queue.length > 0) return;
    const w = this.waiting;
    this.waiting = undefined;
    if (this.failed) w.reject(this.error);
    else w.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<string>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) return Promise.resolve({ value: chunk, done: false });
    if (this.done) return this.failed ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<string>> {
    if (!this.done) this.cancel.abort(new DOMException('the stream consumer stopped', 'AbortError'));
    this.done = true;
    this.queue.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }
}
