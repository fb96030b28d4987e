import { $ } from './byId.ts';
import type { EntityView } from './mirror.ts';
import { lookOf, NPC_LOOK, OWN_LOOK, PLAYER_LOOK, tracePath } from './species.ts';
import type { Look } from './species.ts';

/** The looks to explain for the entities in view: you, players, NPCs, then each species seen, by name. */
export function legendEntries(entities: Iterable<EntityView>, self: number): Look[] {
  const out: Look[] = [OWN_LOOK];
  let players = false, npcs = false;
  const species = new Map<string, Look>();
  for (const e of entities) {
    if (e.id === self) continue;
    if (e.kind === 'player') players = true;
    else if (e.kind === 'npc') npcs = true;
    else species.set(e.species || e.kind, lookOf(e));
  }
  if (players) out.push(PLAYER_LOOK);
  if (npcs) out.push(NPC_LOOK);
  return [...out, ...[...species.values()].sort((a, b) => a.label.localeCompare(b.label))];
}

/** The legend panel (toggled with L or its button): a shape and colour per kind of creature in view. */
export class Legend {
  private shown = '';

  toggle(): void {
    const el = $('legend');
    el.hidden = !el.hidden;
    this.shown = '';
  }

  get visible(): boolean {
    return !$('legend').hidden;
  }

  /** Redraw when what is in view changed. */
  update(entries: readonly Look[]): void {
    if (!this.visible) return;
    const key = entries.map((e) => e.label).join('|');
    if (key === this.shown) return;
    this.shown = key;
    const dpr = devicePixelRatio || 1;
    $('legend-list').replaceChildren(...entries.map((look) => {
      const row = document.createElement('div');
      row.className = 'entry';
      row.dataset.label = look.label;
      const c = document.createElement('canvas');
      c.width = c.height = Math.round(18 * dpr);
      const ctx = c.getContext('2d') as CanvasRenderingContext2D;
      ctx.scale(dpr, dpr);
      tracePath(ctx, look.shape, 9, 9, 6);
      ctx.fillStyle = look.colour;
      ctx.fill();
      ctx.strokeStyle = 'rgba(0,0,0,0.8)';
      ctx.lineWidth = 1.5;
      ctx.stroke();
      const label = document.createElement('span');
      label.textContent = look.label;
      row.append(c, label);
      return row;
    }));
  }
}
