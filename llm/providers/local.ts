import type { RenderedMessage } from '../types.ts';

/** What a local handler receives. */
export interface LocalRequest<I = unknown> {
  readonly operation: string;
  /** The caller's structured input (the game's own view of the situation). */
  readonly input: I;
  /** The rendered prompt, for handlers that want it. */
  readonly system: string;
  readonly messages: readonly RenderedMessage[];
  readonly tenant: string | undefined;
  readonly room: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * A local handler: deterministic, offline, free (for tactics: the local tactician). Returns the
 * operation's value directly (validated against the call's schema like any provider's reply).
 */
export type LocalHandler<I = unknown, O = unknown> = (req: LocalRequest<I>) => O | Promise<O>;

/** Registered local handlers by operation; `*` is the catch-all. */
export class LocalProvider {
  private readonly handlers = new Map<string, LocalHandler>();

  register(operation: string, handler: LocalHandler): void {
    this.handlers.set(operation, handler);
  }

  /** The handler for `operation`, or the catch-all, or undefined. */
  handler(operation: string): LocalHandler | undefined {
    return this.handlers.get(operation) ?? this.handlers.get('*');
  }
}
