import type { ViewCell } from './viewCell.ts';
import { ViewContents } from './viewContents.ts';
import type { PlayerState } from './state.ts';

/**
 * The clients that share one view: those whose avatars are in one cell, or one client on its own (per-client
 * views, and a client whose avatar has not spawned yet). `main` is the view its members are given; a member
 * that has just moved in holds a view of its own for one patch (a mirror, which gets every change of `main`),
 * until it holds what `main` holds and is given `main`.
 */
export class ViewGroup {
  readonly main = new ViewContents();
  readonly mirrors = new Set<ViewContents>();
  /** Session ids of the clients in the group. */
  readonly members = new Set<string>();
  /** Set when the group lost its last member: disposed after the next patch unless someone comes back first. */
  retired = false;

  constructor(
    /** The cell the group shows, or null for a client's own view. */
    readonly cell: ViewCell | null,
    /** Stagger: refreshed when (tick + phase) % refreshEvery === 0. */
    readonly phase: number,
    /** A client's own view: its session id and its entry in `state.players`, which it always holds. */
    readonly owner: { readonly key: string; readonly player: PlayerState | undefined } | null = null,
  ) {}

  /** Apply `change` to the group's view and to its mirrors. */
  each(change: (c: ViewContents) => void): void {
    change(this.main);
    for (const m of this.mirrors) change(m);
  }

  dispose(): void {
    this.main.dispose();
    for (const m of this.mirrors) m.dispose();
    this.mirrors.clear();
  }
}
