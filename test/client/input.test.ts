import { describe, expect, it } from 'vitest';
import { clickAction, directionFromKeys, KeyboardSteering, pickEntity, talkTarget } from '../../client/input.ts';

describe('directionFromKeys', () => {
  it('maps WASD and arrows to directions, normalising diagonals and cancelling opposites', () => {
    expect(directionFromKeys([])).toEqual({ x: 0, y: 0 });
    expect(directionFromKeys(['KeyW'])).toEqual({ x: 0, y: -1 });
    expect(directionFromKeys(['KeyD'])).toEqual({ x: 1, y: 0 });
    expect(directionFromKeys(['ArrowDown'])).toEqual({ x: 0, y: 1 });
    const diag = directionFromKeys(['KeyW', 'KeyA']);
    expect(diag.x).toBeCloseTo(-Math.SQRT1_2, 3);
    expect(diag.y).toBeCloseTo(-Math.SQRT1_2, 3);
    expect(Math.hypot(diag.x, diag.y)).toBeLessThanOrEqual(1);
    expect(directionFromKeys(['KeyA', 'KeyD'])).toEqual({ x: 0, y: 0 });
    expect(directionFromKeys(['KeyW', 'ArrowUp'])).toEqual({ x: 0, y: -1 });
    expect(directionFromKeys(['KeyQ', 'Space'])).toEqual({ x: 0, y: 0 });
  });
});

describe('KeyboardSteering', () => {
  it('sends a move only when the direction changes (key repeat sends nothing)', () => {
    const s = new KeyboardSteering();
    expect(s.key('KeyD', true)).toEqual({ dir: { x: 1, y: 0 } });
    expect(s.key('KeyD', true)).toBeNull();
    expect(s.key('KeyQ', true)).toBeNull();
    const diag = s.key('KeyS', true)!;
    expect(diag.dir.x).toBeGreaterThan(0);
    expect(diag.dir.y).toBeGreaterThan(0);
    expect(s.key('KeyS', false)).toEqual({ dir: { x: 1, y: 0 } });
    expect(s.key('KeyD', false)).toEqual({ dir: { x: 0, y: 0 } });
    expect(s.active).toBe(false);
  });

  it('stops when focus is lost, and re-sends after a reset', () => {
    const s = new KeyboardSteering();
    s.key('KeyW', true);
    expect(s.releaseAll()).toEqual({ dir: { x: 0, y: 0 } });
    expect(s.releaseAll()).toBeNull();
    s.key('KeyW', true);
    s.reset();
    s.key('KeyW', false);
    expect(s.key('KeyW', true)).toEqual({ dir: { x: 0, y: -1 } });
  });
});

const self = { id: 1, kind: 'player', x: 0, y: 0, alive: true };
const wolf = { id: 2, kind: 'monster', x: 3, y: 0, alive: true };
const corpse = { id: 3, kind: 'monster', x: 0, y: 3, alive: false };
const friend = { id: 4, kind: 'player', x: -3, y: 0, alive: true };
const all = [self, wolf, corpse, friend];

describe('clickAction', () => {
  const play = { self: 1, mode: 'play' as const, pickRadius: 0.8 };
  it('attacks a living creature under the cursor', () => {
    expect(clickAction({ x: 3.3, y: 0.2 }, all, play)).toEqual({ type: 'attack', target: 2 });
  });
  it('walks to the point when nothing attackable is there (empty ground, a corpse, another player, oneself)', () => {
    expect(clickAction({ x: 10.123, y: -4.567 }, all, play)).toEqual({ type: 'move', to: { x: 10.12, y: -4.57 } });
    expect(clickAction({ x: 0, y: 3 }, all, play).type).toBe('move');
    expect(clickAction({ x: -3, y: 0 }, all, play).type).toBe('move');
    expect(clickAction({ x: 0, y: 0 }, all, play).type).toBe('move');
  });
  it('selects anything under the cursor for the inspector in designer mode, and nothing on empty ground', () => {
    const design = { ...play, mode: 'design' as const };
    expect(clickAction({ x: 0, y: 3.1 }, all, design)).toEqual({ type: 'inspect', actor: 3 });
    expect(clickAction({ x: 0, y: 0 }, all, design)).toEqual({ type: 'inspect', actor: 1 });
    expect(clickAction({ x: 20, y: 20 }, all, design)).toEqual({ type: 'none' });
  });
});

describe('pickEntity and talkTarget', () => {
  it('picks the nearest within the radius', () => {
    expect(pickEntity(2.6, 0, all, 1)?.id).toBe(2);
    expect(pickEntity(1.5, 0, all, 1)).toBeUndefined();
    expect(pickEntity(0.1, 0, all, 1, 1)).toBeUndefined();
  });
  it('talks to the selected creature if near, else the nearest living non-player in range', () => {
    const near = { id: 5, kind: 'npc', x: 1, y: 1, alive: true };
    expect(talkTarget(self, [...all, near], { selfId: 1, range: 6 })?.id).toBe(5);
    expect(talkTarget(self, [...all, near], { selfId: 1, selected: 2, range: 6 })?.id).toBe(2);
    expect(talkTarget(self, [...all, near], { selfId: 1, selected: 2, range: 2 })?.id).toBe(5);
    expect(talkTarget(self, [self, corpse, friend], { selfId: 1, range: 6 })).toBeUndefined();
  });
});
