/** A direction with components in [-1, 1] (length at most 1), as the `move` message takes it. */
export interface Dir {
  readonly x: number;
  readonly y: number;
}

/** Keys that steer the avatar (`KeyboardEvent.code`), and the direction each adds. Screen y grows downwards. */
export const MOVE_KEYS: Readonly<Record<string, Dir>> = {
  KeyW: { x: 0, y: -1 },
  KeyA: { x: -1, y: 0 },
  KeyS: { x: 0, y: 1 },
  KeyD: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowDown: { x: 0, y: 1 },
  ArrowRight: { x: 1, y: 0 },
};

/** The walking direction for the keys held: summed, then normalised (diagonals are not faster). {0, 0} stops. */
export function directionFromKeys(held: Iterable<string>): Dir {
  let x = 0, y = 0;
  const seen = new Set<string>();
  for (const code of held) {
    const d = MOVE_KEYS[code];
    if (!d || seen.has(code)) continue;
    seen.add(code);
    x += d.x;
    y += d.y;
  }
  x = Math.sign(x);
  y = Math.sign(y);
  const len = Math.hypot(x, y);
  if (len === 0) return { x: 0, y: 0 };
  // Rounded so the value survives JSON and stays within [-1, 1].
  const round = (v: number) => Math.round((v / len) * 1e4) / 1e4;
  return { x: round(x), y: round(y) };
}

/**
 * Turns held keys into `move` messages, sending only when the direction changes (the room rate-limits
 * messages; key repeat must not flood it).
 */
export class KeyboardSteering {
  private readonly held = new Set<string>();
  private last: Dir = { x: 0, y: 0 };

  /** A key went down or up; returns the `move` payload to send, or null if the direction did not change. */
  key(code: string, down: boolean): { dir: Dir } | null {
    if (!(code in MOVE_KEYS)) return null;
    if (down) this.held.add(code);
    else this.held.delete(code);
    return this.update();
  }

  /** Every key released (the window lost focus): stop if walking. */
  releaseAll(): { dir: Dir } | null {
    this.held.clear();
    return this.update();
  }

  /** Whether any steering key is held. */
  get active(): boolean {
    return this.held.size > 0;
  }

  /** Forget the last direction sent (after a click-to-move, the next key press must be sent). */
  reset(): void {
    this.last = { x: 0, y: 0 };
  }

  private update(): { dir: Dir } | null {
    const dir = directionFromKeys(this.held);
    if (dir.x === this.last.x && dir.y === this.last.y) return null;
    this.last = dir;
    return { dir };
  }
}

/** What the input code needs to know of an entity. */
export interface Pickable {
  readonly id: number;
  readonly kind: string;
  /** Position in world units (as drawn). */
  readonly x: number;
  readonly y: number;
  readonly alive: boolean;
}

/** The entity drawn nearest to (x, y) within `radius` world units, or undefined. */
export function pickEntity<T extends Pickable>(x: number, y: number, entities: Iterable<T>, radius: number, skip?: number): T | undefined {
  let best: T | undefined;
  let bestD = radius;
  for (const e of entities) {
    if (e.id === skip) continue;
    const d = Math.hypot(e.x - x, e.y - y);
    if (d <= bestD) {
      best = e;
      bestD = d;
    }
  }
  return best;
}

/** What a click on the map does. */
export type ClickAction =
  | { readonly type: 'attack'; readonly target: number }
  | { readonly type: 'move'; readonly to: { readonly x: number; readonly y: number } }
  | { readonly type: 'inspect'; readonly actor: number }
  | { readonly type: 'none' };

/**
 * Map a click at world point (x, y) to an action. Playing: a living creature under the cursor is attacked,
 * anywhere else is walked to (another player is never attacked). Designing: a click selects an actor to inspect.
 */
export function clickAction(
  point: { readonly x: number; readonly y: number },
  entities: Iterable<Pickable>,
  opts: { readonly self: number; readonly mode: 'play' | 'design'; readonly pickRadius: number },
): ClickAction {
  const list = [...entities];
  if (opts.mode === 'design') {
    const hit = pickEntity(point.x, point.y, list, opts.pickRadius);
    return hit ? { type: 'inspect', actor: hit.id } : { type: 'none' };
  }
  const hit = pickEntity(point.x, point.y, list.filter((e) => e.alive && e.kind !== 'player'), opts.pickRadius, opts.self);
  if (hit) return { type: 'attack', target: hit.id };
  return { type: 'move', to: { x: round2(point.x), y: round2(point.y) } };
}

/**
 * Whom a line typed in the talk box goes to: the selected entity if it is close enough, otherwise the nearest
 * living non-player within `range` world units of the avatar. Undefined when no one is near.
 */
export function talkTarget(
  self: { readonly x: number; readonly y: number },
  entities: Iterable<Pickable>,
  opts: { readonly selfId: number; readonly selected?: number; readonly range: number },
): Pickable | undefined {
  const candidates = [...entities].filter((e) => e.alive && e.id !== opts.selfId && e.kind !== 'player');
  const chosen = candidates.find((e) => e.id === opts.selected);
  if (chosen && Math.hypot(chosen.x - self.x, chosen.y - self.y) <= opts.range) return chosen;
  return pickEntity(self.x, self.y, candidates, opts.range);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
