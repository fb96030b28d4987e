import type { DiedMessage } from '../shared/index.ts';
import { $ } from './byId.ts';

/** The server's `died` message. */
export type Died = DiedMessage;

/** Reads a `died` message, or undefined when it is not one. */
export function diedOf(body: unknown): Died | undefined {
  const b = body as Partial<Died> | null;
  if (!b || typeof b !== 'object' || typeof b.actor !== 'number' || typeof b.tick !== 'number' || typeof b.respawnInTicks !== 'number' || !Array.isArray(b.spawns)) return undefined;
  return b as Died;
}

/** Who killed the player, in words: "Killed by Grak (ogre)". */
export function killerText(d: Died): string {
  const k = d.killer;
  if (!k) return 'You fell.';
  const what = k.species || k.kind;
  return what && what !== k.name ? `Killed by ${k.name} (${what})` : `Killed by ${k.name}`;
}

/** Seconds left before the automatic respawn, at room tick `tick`. */
export function secondsLeft(d: Died, receivedAtTick: number, tick: number, tickRate: number): number {
  return Math.max(0, Math.ceil((d.respawnInTicks - Math.max(0, tick - receivedAtTick)) / tickRate));
}

/**
 * The death screen: who killed the player, a button per safe spawn point (the first is the default), and a
 * countdown to the automatic respawn there. While it shows, the talk box is disabled.
 */
export class DeathScreen {
  private died: Died | undefined;
  private receivedAt = 0;

  constructor(private readonly choose: (spawnId: string) => void) {}

  /** Whether the player is dead (the screen is up). */
  get showing(): boolean {
    return this.died !== undefined;
  }

  show(d: Died, tick: number): void {
    this.died = d;
    this.receivedAt = tick;
    $('death-killer').textContent = killerText(d);
    const list = $('death-spawns');
    list.replaceChildren(...d.spawns.map((s, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.spawn = s.id;
      b.textContent = i === 0 ? `${s.name} (default)` : s.name;
      if (i === 0) b.className = 'default';
      b.addEventListener('click', () => {
        for (const other of list.querySelectorAll('button')) other.disabled = true;
        this.choose(s.id);
      });
      return b;
    }));
    $('death').hidden = false;
    const input = $<HTMLInputElement>('talk-input');
    input.disabled = true;
    input.placeholder = 'You are dead: choose where to respawn first.';
    $<HTMLButtonElement>('talk-button').disabled = true;
  }

  /** Refresh the countdown (the room's tick advances). */
  update(tick: number, tickRate: number): void {
    const d = this.died;
    if (!d) return;
    const first = d.spawns[0]?.name ?? 'the default point';
    const text = `Back at ${first} in ${secondsLeft(d, this.receivedAt, tick, tickRate)} s unless you choose.`;
    const el = $('death-countdown');
    if (el.textContent !== text) el.textContent = text;
  }

  /** The avatar is alive again. */
  hide(): void {
    if (!this.died) return;
    this.died = undefined;
    $('death').hidden = true;
    const input = $<HTMLInputElement>('talk-input');
    input.disabled = false;
    input.placeholder = 'Say something to a nearby creature… (Enter)';
    $<HTMLButtonElement>('talk-button').disabled = false;
  }
}
