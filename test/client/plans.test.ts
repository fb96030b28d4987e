import { MapSchema, ArraySchema } from '@colyseus/schema';
import { describe, expect, it } from 'vitest';
import { planOverlay, readPlans, sourceColour } from '../../client/plans.ts';

describe('readPlans (the adapter from the room state to the overlay)', () => {
  it('reads nothing from a state without plans', () => {
    expect(readPlans({})).toEqual([]);
    expect(readPlans(undefined)).toEqual([]);
    expect(readPlans({ plans: null })).toEqual([]);
  });

  it('reads a map keyed by pack id with member lists (the expected coordinator shape)', () => {
    const plans = new Map([
      ['pack-7', { tactic: 'surround', source: 'anthropic', target: 12, members: [{ actor: 3, role: 'flankLeft' }, { actor: 4, role: 'bait', target: 13 }, { actor: 5, role: 'guard', x: 1.5, y: -2 }] }],
      ['pack-2', { kind: 'retreat', provider: 'local', members: [] }],
    ]);
    expect(readPlans({ plans })).toEqual([
      { pack: 'pack-2', tactic: 'retreat', source: 'local', members: [] },
      {
        pack: 'pack-7', tactic: 'surround', source: 'anthropic', target: 12,
        members: [{ actor: 3, role: 'flankLeft' }, { actor: 4, role: 'bait', target: 13 }, { actor: 5, role: 'guard', point: { x: 1.5, y: -2 } }],
      },
    ]);
  });

  it('reads the room\'s PlanState shape: formation, assignments with member ids, points only when hasPoint', () => {
    const assignments = [
      { member: 31, role: 'flankLeft', target: 7, hasPoint: false, x: 0, y: 0 },
      { member: 32, role: 'guardLeader', target: 0, hasPoint: true, x: 4.5, y: -1 },
    ];
    const plans = new Map([['wolves-3', { pack: 'wolves-3', leader: 31, seq: 2, formation: 'pincer', assignments, source: 'openai', model: 'gpt-x', cached: true, note: '' }]]);
    expect(readPlans({ plans })).toEqual([{
      pack: 'wolves-3', tactic: 'pincer', source: 'openai', detail: 'gpt-x · cached',
      members: [{ actor: 31, role: 'flankLeft', target: 7 }, { actor: 32, role: 'guardLeader', point: { x: 4.5, y: -1 } }],
    }]);
  });

  it('reads schema collections, role maps keyed by actor id, and JSON text', () => {
    const members = new MapSchema<string>();
    members.set('9', 'engage');
    members.set('nope', 'ignored');
    const plans = new MapSchema<unknown>();
    plans.set('p1', { tactic: 'focus', source: 'openai', roles: members });
    plans.set('p2', JSON.stringify({ plan: 'regroup', source: 'cache', members: [{ id: 4, order: 'regroup' }] }) as never);
    const list = new ArraySchema<unknown>();
    list.push({ pack: 'p3', tactic: 'hold', source: 'local', members: '[{"actor": 8, "role": "hold"}]' });
    expect(readPlans({ plans })).toEqual([
      { pack: 'p1', tactic: 'focus', source: 'openai', members: [{ actor: 9, role: 'engage' }] },
      { pack: 'p2', tactic: 'regroup', source: 'cache', members: [{ actor: 4, role: 'regroup' }] },
    ]);
    expect(readPlans({ packPlans: list })).toEqual([{ pack: 'p3', tactic: 'hold', source: 'local', members: [{ actor: 8, role: 'hold' }] }]);
  });

  it('fills in what is missing and skips junk', () => {
    expect(readPlans({ plans: { a: {}, b: 42, c: 'not json', d: { members: [{ role: 'x' }, null, { actor: -1 }] } } })).toEqual([
      { pack: 'a', tactic: 'plan', source: 'unknown', members: [] },
      { pack: 'd', tactic: 'plan', source: 'unknown', members: [] },
    ]);
  });
});

describe('planOverlay', () => {
  const at: Record<number, { x: number; y: number }> = { 3: { x: 0, y: 0 }, 4: { x: 2, y: 0 }, 12: { x: 5, y: 5 }, 13: { x: -5, y: 0 } };
  const positionOf = (id: number) => at[id];

  it('draws an arrow from each member to its target (its own, else the pack\'s, else its point), role labels and a title', () => {
    const o = planOverlay([{ pack: 'p', tactic: 'surround', source: 'gemini', target: 12, members: [{ actor: 3, role: 'flankLeft' }, { actor: 4, role: 'bait', target: 13 }, { actor: 99, role: 'away' }] }], positionOf);
    expect(o.arrows.map((a) => [a.from, a.to, a.role])).toEqual([
      [{ x: 0, y: 0 }, { x: 5, y: 5 }, 'flankLeft'],
      [{ x: 2, y: 0 }, { x: -5, y: 0 }, 'bait'],
    ]);
    expect(o.arrows.every((a) => a.colour === sourceColour('gemini'))).toBe(true);
    expect(o.labels.filter((l) => !l.title).map((l) => l.text)).toEqual(['flank left', 'bait']);
    const title = o.labels.find((l) => l.title)!;
    expect(title.text).toBe('surround · Gemini');
    expect(title.at.x).toBe(1);
    expect(title.at.y).toBeLessThan(0);
  });

  it('leaves out packs with no member in view', () => {
    expect(planOverlay([{ pack: 'p', tactic: 't', source: 's', members: [{ actor: 99, role: 'r' }] }], positionOf)).toEqual({ arrows: [], labels: [] });
  });

  it('colours by where the plan came from', () => {
    expect(sourceColour('openai')).not.toBe(sourceColour('local'));
    expect(sourceColour('Anthropic')).toBe(sourceColour('openai'));
    expect(sourceColour('local-tactician')).toBe(sourceColour('local'));
    expect(sourceColour('???')).toBe('#cccccc');
  });
});
