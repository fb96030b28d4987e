import type { Message } from './messages.ts';

/**
 * One actor's FIFO queue of messages, bounded: past `capacity` new messages are refused (the caller counts
 * the drop), so a flood at one actor cannot grow memory without limit.
 */
export class Mailbox {
  /**
   * Messages at [head, tail). Emptied by moving both indices back to 0, not by `length = 0`: that would give
   * up the array's storage, and an actor that gets a message most steps would regrow it every step.
   */
  private items: Message[] = [];
  private head = 0;
  private tail = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.tail - this.head;
  }

  /** Append; false when full. */
  push(m: Message): boolean {
    if (this.tail - this.head >= this.capacity) return false;
    this.items[this.tail++] = m;
    return true;
  }

  /** Remove and return the oldest message. */
  shift(): Message | undefined {
    if (this.head >= this.tail) return undefined;
    const m = this.items[this.head];
    this.items[this.head++] = undefined as unknown as Message;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 64 && this.head * 2 > this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return m;
  }

  clear(): void {
    this.items.fill(undefined as unknown as Message, this.head, this.tail);
    this.head = 0;
    this.tail = 0;
  }

  /** The queued messages, oldest first (a copy). */
  toArray(): Message[] {
    return this.items.slice(this.head, this.tail);
  }
}
