import { describe, expect, it } from 'vitest';
import { nearest } from '../../shared/index.ts';

describe('nearest: the valid word a person most likely meant', () => {
  it('matches a wrong case (or -, _) before anything else', () => {
    expect(nearest('Wolf', ['wolf', 'boar'])).toBe('wolf');
    expect(nearest('lair_room', ['lairRoom', 'region'])).toBe('lairRoom');
    expect(nearest('WOLF', ['wolves', 'wolf'])).toBe('wolf');
  });

  it('offers a near miss: a swap, a missing or an extra letter', () => {
    expect(nearest('wrold', ['seed', 'world', 'words'])).toBe('world');
    expect(nearest('specie', ['id', 'species', 'size'])).toBe('species');
    expect(nearest('forst', ['forest', 'desert', 'swamp'])).toBe('forest');
    expect(nearest('atTik', ['atTick', 'playerEnters', 'packBelow'])).toBe('atTick');
  });

  it('offers nothing when nothing is close enough to help', () => {
    expect(nearest('dragon', ['wolf', 'boar', 'goblin', 'troll'])).toBeUndefined();
    expect(nearest('surprise', ['name', 'world', 'spawns'])).toBeUndefined();
    expect(nearest('x', ['y', 'w', 'h'])).toBeUndefined();
    expect(nearest('', ['a'])).toBeUndefined();
    expect(nearest('wolf', ['wolf'])).toBeUndefined();
  });

  it('is stricter for short words: one edit up to 3 letters', () => {
    expect(nearest('ato', ['at'])).toBe('at');
    expect(nearest('abc', ['xyz', 'axy'])).toBeUndefined();
  });
});
