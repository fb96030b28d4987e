import type { Message } from './messages.ts';

/**
 * One actor's FIFO queue of messages, bounded: past `capacity` new messages are refused (the caller counts
 * the drop), so a flood at one actor cannot grow memory without limit.
 */
export class Mailbox {
  private items: Message[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Append; false when full. */
  push(m: Message): boolean {
    if (this.items.length - this.head >= this.capacity) return false;
    this.items.push(m);
    return true;
  }

  /** Remove and return the oldest message. */
  shift(): Message | undefined {
    if (this.head >= this.items.length) return undefined;
    const m = this.items[this.head];
    this.items[this.head++] = undefined as unknown as Message;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  /** The queued messages, oldest first (a copy). */
  toArray(): Message[] {
    return this.items.slice(this.head);
  }
}
