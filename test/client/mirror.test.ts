import { describe, expect, it } from 'vitest';
import { EntityMirror } from '../../client/mirror.ts';

const entity = (id: number, x: number, y: number, over: Record<string, unknown> = {}) => ({ id, kind: 'monster', species: 'wolf', name: `W${id}`, x, y, hp: 10, maxHp: 10, anim: 'idle', pack: '', ...over });

describe('EntityMirror', () => {
  it('copies entities per patch, interpolates their drawn position, and forgets those that left the view', () => {
    const m = new EntityMirror(50);
    m.sync({ entities: new Map([['1', entity(1, 0, 0)], ['2', entity(2, 5, 5)]]) }, 0);
    m.sync({ entities: new Map([['1', entity(1, 1, 0, { anim: 'walk', hp: 7 })], ['2', entity(2, 5, 5)]]) }, 50);
    m.sync({ entities: new Map([['1', entity(1, 2, 0, { anim: 'walk' })]]) }, 100);
    expect(m.get(1)).toMatchObject({ x: 2, anim: 'walk', hp: 10 });
    expect(m.get(2)).toBeUndefined();
    expect(m.drawnAt(1, 125)!.x).toBeCloseTo(0.5); // 100 ms behind
    expect(m.drawnAt(1, 1000)!.x).toBe(2);
    expect(m.drawnAt(2, 125)).toBeUndefined();
    m.clear();
    expect(m.entities.size).toBe(0);
  });

  it('copes with a state that has no entities yet', () => {
    const m = new EntityMirror(50);
    m.sync({}, 0);
    expect(m.entities.size).toBe(0);
  });
});
