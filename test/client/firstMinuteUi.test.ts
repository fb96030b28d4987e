import { describe, expect, it } from 'vitest';
import { diedOf, killerText, secondsLeft } from '../../client/deathScreen.ts';
import type { Died } from '../../client/deathScreen.ts';
import { FLASH_MS, FLOAT_MS, HitEffects, hitOf } from '../../client/hitEffects.ts';
import { overlaps, placeLabels } from '../../client/labels.ts';
import type { LabelRequest } from '../../client/labels.ts';
import { legendEntries } from '../../client/legend.ts';
import type { EntityView } from '../../client/mirror.ts';
import { lookOf, SPECIES_LOOKS } from '../../client/species.ts';
import { FrameStats } from '../../client/frameStats.ts';

const width = (t: string) => t.length * 7;

describe('name placement', () => {
  const req = (id: number, x: number, y: number, rank = 3, text = `name${id}`): LabelRequest => ({ id, text, x, y, r: 8, rank, dist: Math.hypot(x - 500, y - 300) });

  it('never overlaps two names, and keeps the own avatar and the selected actor whatever the crowd', () => {
    // A pack of 40 bodies on top of one another, with the player and a selected monster among them.
    const crowd = Array.from({ length: 40 }, (_, i) => req(i + 10, 500 + (i % 8) * 6, 300 + Math.floor(i / 8) * 6));
    const placed = placeLabels([...crowd, req(1, 510, 310, 0, 'Ada'), req(2, 520, 305, 1, 'Grak')], width, 14);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!.box, placed[j]!.box)).toBe(false);
    expect(placed.map((p) => p.id)).toContain(1);
    expect(placed.map((p) => p.id)).toContain(2);
    expect(placed[0]!.id).toBe(1); // the own name first
    expect(placed.length).toBeLessThan(crowd.length); // the rest only where there is room
    expect(placed.length).toBeGreaterThan(2);
  });

  it('places every name when there is room, under its body', () => {
    const spread = Array.from({ length: 10 }, (_, i) => req(i + 1, 60 + i * 100, 200));
    const placed = placeLabels(spread, width, 14);
    expect(placed.length).toBe(10);
    for (const p of placed) {
      const q = spread.find((s) => s.id === p.id)!;
      expect(p.x).toBe(q.x);
      expect(p.y).toBeGreaterThan(q.y);
    }
  });

  it('moves a name aside when another body sits under it', () => {
    const placed = placeLabels([req(1, 100, 100, 2, 'Bea'), req(2, 100, 122, 3, '')], width, 14);
    const bea = placed.find((p) => p.id === 1)!;
    expect(bea.y).toBeLessThan(100); // above, not on the body below
  });
});

describe('hit feedback', () => {
  it('reads hit messages and refuses malformed ones', () => {
    expect(hitOf({ target: 5, source: 7, amount: 12, hp: 88, tick: 40 })).toEqual({ target: 5, source: 7, amount: 12, hp: 88, tick: 40 });
    expect(hitOf({ target: 5, source: 7, amount: 'x', hp: 88, tick: 40 })).toBeUndefined();
    expect(hitOf(null)).toBeUndefined();
  });

  it('floats a damage number for a second and flashes the body briefly', () => {
    const h = new HitEffects();
    h.add({ target: 5, source: 7, amount: 12.4, hp: 88, tick: 40 }, 1000);
    expect(h.floaters(1000)).toEqual([{ target: 5, text: '-12', age: 0, dx: -12 }]);
    expect(h.flashing(1000 + FLASH_MS - 1).has(5)).toBe(true);
    expect(h.flashing(1000 + FLASH_MS).has(5)).toBe(false);
    expect(h.floaters(1000 + FLOAT_MS / 2)[0]!.age).toBeCloseTo(0.5);
    expect(h.floaters(1000 + FLOAT_MS)).toEqual([]);
  });
});

describe('death screen', () => {
  const died: Died = { actor: 3, killer: { id: 9, name: 'Grak', kind: 'monster', species: 'troll' }, tick: 100, respawnInTicks: 400, spawns: [{ id: 'western-meadow', name: 'Western meadow' }] };

  it('names the killer and its species', () => {
    expect(killerText(died)).toBe('Killed by Grak (troll)');
    expect(killerText({ ...died, killer: { id: 9, name: 'wolf', kind: 'monster', species: 'wolf' } })).toBe('Killed by wolf');
    expect(killerText({ ...died, killer: null })).toBe('You fell.');
  });

  it('counts down to the automatic respawn in seconds of the room', () => {
    expect(secondsLeft(died, 100, 100, 20)).toBe(20);
    expect(secondsLeft(died, 100, 290, 20)).toBe(11);
    expect(secondsLeft(died, 100, 900, 20)).toBe(0);
  });

  it('reads died messages and refuses malformed ones', () => {
    expect(diedOf(died)).toEqual(died);
    expect(diedOf({ actor: 3 })).toBeUndefined();
  });
});

describe('species look and the legend', () => {
  const e = (id: number, kind: string, species: string): EntityView => ({ id, kind, species, name: '', x: 0, y: 0, hp: 1, maxHp: 1, anim: 'idle', pack: '', role: '', stance: '', shielded: false });

  it('gives wolves and lizardfolk (and every built-in species) its own colour and shape pair', () => {
    const wolf = lookOf({ kind: 'monster', species: 'wolf' }), lizard = lookOf({ kind: 'monster', species: 'lizardfolk' });
    expect(wolf.colour).not.toBe(lizard.colour);
    expect(wolf.shape).not.toBe(lizard.shape);
    const pairs = Object.values(SPECIES_LOOKS).map((l) => `${l.colour}|${l.shape}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(new Set(Object.values(SPECIES_LOOKS).map((l) => l.colour)).size).toBe(pairs.length);
    for (const l of Object.values(SPECIES_LOOKS)) {
      const hue = Number(/hsl\((\d+)/.exec(l.colour)![1]);
      expect(hue < 150 || hue >= 250, `${l.label} keeps off the player blues`).toBe(true);
    }
    // An unknown species still gets a stable look.
    expect(lookOf({ kind: 'monster', species: 'gryphon' })).toEqual(lookOf({ kind: 'monster', species: 'gryphon' }));
  });

  it('lists you, other players, villagers and each species in view once', () => {
    const list = legendEntries([e(1, 'player', ''), e(2, 'player', ''), e(3, 'monster', 'wolf'), e(4, 'monster', 'wolf'), e(5, 'monster', 'lizardfolk'), e(6, 'npc', 'human')], 1);
    expect(list.map((l) => l.label)).toEqual(['You', 'Other players', 'Villagers (NPCs)', 'Lizardfolk', 'Wolf']);
  });
});

describe('draw time statistics', () => {
  it('gives the median, 95th percentile and worst of the frames drawn', () => {
    const f = new FrameStats(60, 100);
    for (let i = 1; i <= 100; i++) f.drawn(i / 10);
    expect(f.drawTimes()).toEqual({ p50: 5.1, p95: 9.6, max: 10, n: 100 });
    f.resetDraws();
    expect(f.drawTimes()).toEqual({ p50: 0, p95: 0, max: 0, n: 0 });
  });
});
