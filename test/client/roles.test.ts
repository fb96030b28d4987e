import { describe, expect, it } from 'vitest';
import { EntityMirror } from '../../client/mirror.ts';
import { planOverlay } from '../../client/plans.ts';
import { roleLabels, roleText, stanceColour, withRoleLabels } from '../../client/roles.ts';

describe('NPC roles in the designer overlay', () => {
  it('writes the role and the stance, once when they are the same', () => {
    expect(roleText('village guard', 'guard')).toBe('village guard · guard');
    expect(roleText('blacksmith', 'peaceful')).toBe('blacksmith · peaceful');
    expect(roleText('guard', 'guard')).toBe('guard');
    expect(roleText('', 'peaceful')).toBe('peaceful');
    expect(roleText('', '')).toBe('');
  });

  it('puts a label under each NPC\'s name, coloured by stance, and none under monsters and players', () => {
    const drawn = [
      { e: { kind: 'npc', role: 'blacksmith', stance: 'peaceful' }, x: 2, y: 3 },
      { e: { kind: 'npc', role: 'village guard', stance: 'guard' }, x: -1, y: 0 },
      { e: { kind: 'monster', role: '', stance: '' }, x: 9, y: 9 },
      { e: { kind: 'player' }, x: 5, y: 5 },
    ];
    expect(roleLabels(drawn)).toEqual([
      { at: { x: 2, y: 4.45 }, text: 'blacksmith · peaceful', colour: stanceColour('peaceful'), title: false },
      { at: { x: -1, y: 1.45 }, text: 'village guard · guard', colour: stanceColour('guard'), title: false },
    ]);
    expect(stanceColour('guard')).not.toBe(stanceColour('peaceful'));
    // Added to the plan overlay's own labels, which stay first.
    const plans = planOverlay([{ pack: 'p', tactic: 'surround', source: 'tactician', members: [{ actor: 7, role: 'bait' }] }], () => ({ x: 20, y: 20 }));
    const o = withRoleLabels(plans, drawn);
    expect(o.arrows).toBe(plans.arrows);
    expect(o.labels.map((l) => l.text)).toEqual(['bait', 'surround · local tactician', 'blacksmith · peaceful', 'village guard · guard']);
    expect(withRoleLabels(plans, [])).toBe(plans);
  });

  it('mirrors the role and stance of entities, empty when the state has none', () => {
    const m = new EntityMirror(50);
    const base = { kind: 'npc', species: 'human', name: 'Hilda', x: 0, y: 0, hp: 50, maxHp: 50, anim: 'idle', pack: '' };
    m.sync({ entities: new Map([['1', { id: 1, ...base, role: 'blacksmith', stance: 'peaceful' }], ['2', { id: 2, ...base }]]) }, 0);
    expect(m.get(1)).toMatchObject({ role: 'blacksmith', stance: 'peaceful' });
    expect(m.get(2)).toMatchObject({ role: '', stance: '' });
    m.sync({ entities: new Map([['1', { id: 1, ...base, role: 'blacksmith', stance: 'guard' }]]) }, 50);
    expect(m.get(1)?.stance).toBe('guard');
  });
});
