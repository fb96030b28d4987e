import { describe, expect, it } from 'vitest';
import { MEMORY_LINES, MEMORY_PLAYERS, remember, summarize } from '../../actors/behaviours/chatMemory.ts';
import type { PlayerMemory } from '../../actors/index.ts';

type Mem = Readonly<Record<string, PlayerMemory>>;

const talk = (m: Mem, player: number, heard: string, intent: Parameters<typeof remember>[2]['intent'], t: number, extra: Partial<Parameters<typeof remember>[2]> = {}): Mem =>
  remember(m, player, { name: 'guest-7', intent, heard, answered: `reply ${t}`, time: t, ...extra });

describe('what an NPC remembers of a player', () => {
  it('keeps both sides of the conversation, the name once given, and why its disposition changed', () => {
    let m: Mem = {};
    m = talk(m, 5, 'hello there', 'greet', 1);
    m = talk(m, 5, 'my name is Ada', 'unknown', 2, { givenName: 'Ada' });
    m = talk(m, 5, 'you smell like wet dog', 'insult', 3, { topics: [] });
    const a = m['5']!;
    expect(a.name).toBe('guest-7');
    expect(a.givenName).toBe('Ada');
    expect(a.lines.map((l) => `${l.who}:${l.text}`)).toEqual([
      'player:hello there', 'self:reply 1', 'player:my name is Ada', 'self:reply 2', 'player:you smell like wet dog', 'self:reply 3',
    ]);
    expect(a.lines[4]!.intent).toBe('insult');
    expect(a.changes.map((c) => [c.by, c.why])).toEqual([[0.05, 'greeted me: "hello there"'], [-0.25, 'insulted me: "you smell like wet dog"']]);
    expect(a.disposition).toBeCloseTo(-0.2, 6);
    // Later lines without a name keep the one given.
    m = talk(m, 5, 'sorry', 'unknown', 4);
    expect(m['5']!.givenName).toBe('Ada');
  });

  it('folds older lines into a summary when they grow past the bound, and keeps counting', () => {
    let m: Mem = {};
    for (let t = 1; t <= 20; t++) m = talk(m, 9, t % 2 ? 'where is the mill' : 'thanks friend', t % 2 ? 'askDirections' : 'flatter', t, { topics: t % 2 ? ['mill'] : [] });
    const a = m['9']!;
    expect(a.lines.length).toBeLessThanOrEqual(MEMORY_LINES);
    expect(a.lines.at(-1)!.text).toBe('reply 20');
    expect(a.exchanges).toBe(20);
    expect(a.intents).toEqual({ askDirections: 10, flatter: 10 });
    expect(a.summary).toMatch(/^We have spoken many times\. They (asked me the way|flattered me) many times and (asked me the way|flattered me) many times\. We spoke of the mill\.$/);
    expect(a.changes.length).toBeLessThanOrEqual(6);
  });

  it('forgets the player met longest ago past its bound', () => {
    let m: Mem = {};
    for (let p = 1; p <= MEMORY_PLAYERS + 1; p++) m = talk(m, p, 'hi', 'greet', p);
    expect(Object.keys(m)).toHaveLength(MEMORY_PLAYERS);
    expect(m['1']).toBeUndefined();
  });

  it('summaries use the given name and plain counts', () => {
    expect(summarize({ givenName: 'Ada', exchanges: 2, intents: { greet: 1, insult: 1 }, topics: ['inn'] })).toBe('We have spoken twice. Ada greeted me once and insulted me once. We spoke of the inn.');
  });
});
