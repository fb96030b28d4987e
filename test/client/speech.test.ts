import { describe, expect, it } from 'vitest';
import { MapSchema } from '@colyseus/schema';
import { activeBubbles, newLines, SpeechStreams, speakerName, speechChunkOf, speechLines, withStreams, wrapText } from '../../client/speech.ts';

const line = (seq: number, actor: number, tick: number, text = `line ${seq}`, kind = 'say') => ({ seq, actor, kind, text, tick });

describe('speech', () => {
  it('shows each actor\'s latest line from the last few seconds', () => {
    const lines = [line(1, 7, 0), line(2, 7, 150), line(3, 8, 160), line(4, 9, 10)];
    const b = activeBubbles(lines, 200, 20, 5);
    expect([...b.keys()].sort()).toEqual([7, 8]);
    expect(b.get(7)!.seq).toBe(2);
    expect(activeBubbles(lines, 1000, 20, 5).size).toBe(0);
  });

  it('lists lines newer than the last one seen, in order', () => {
    expect(newLines([line(5, 1, 0), line(3, 1, 0), line(4, 2, 0)], 3).map((l) => l.seq)).toEqual([4, 5]);
  });

  it('reads the state\'s lines, keyed by seq, oldest first (a list too)', () => {
    const map = new MapSchema<ReturnType<typeof line>>();
    map.set('12', line(12, 7, 40, 'second'));
    map.set('3', line(3, 8, 10, 'first'));
    expect(speechLines(map as never).map((l) => l.text)).toEqual(['first', 'second']);
    expect(speechLines(new Map([['5', line(5, 1, 0)]])).map((l) => l.seq)).toEqual([5]);
    expect(speechLines([line(2, 1, 0), line(1, 1, 0)]).map((l) => l.seq)).toEqual([1, 2]);
    expect(speechLines(undefined)).toEqual([]);
  });

  it('names the speaker in the chat log: the line\'s own name, else the entity\'s, else its id', () => {
    const names = new Map([[7, 'Grizzle']]);
    const nameOf = (id: number) => names.get(id);
    expect(speakerName({ ...line(1, 151, 0), name: 'alice' }, nameOf)).toBe('alice');
    expect(speakerName({ ...line(2, 7, 0), name: '' }, nameOf)).toBe('Grizzle');
    expect(speakerName(line(3, 9, 0), nameOf)).toBe('#9');
  });

  it('wraps text at spaces, cuts long words, and ellipsises past the line limit', () => {
    expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    const w = wrapText('one two three four five six', 4, 2);
    expect(w).toHaveLength(2);
    expect(w[1]!.endsWith('…')).toBe(true);
    expect(wrapText('', 10)).toEqual([]);
  });
});

describe('streamed speech', () => {
  it('parses speech messages and refuses anything else', () => {
    expect(speechChunkOf({ actor: 4, id: 9, text: 'Aye', done: false })).toEqual({ actor: 4, id: 9, text: 'Aye', done: false });
    expect(speechChunkOf({ actor: 4, id: 9, text: 'x', done: true, replaced: true })).toMatchObject({ replaced: true });
    expect(speechChunkOf({ actor: '4', id: 9, text: 'Aye', done: false })).toBeNull();
    expect(speechChunkOf(null)).toBeNull();
  });

  it('holds one growing line per speaker: a newer line replaces it, a stale chunk is ignored, the said line or silence ends it', () => {
    const s = new SpeechStreams(1000);
    s.take({ actor: 4, id: 2, text: 'Aye', done: false }, 0);
    s.take({ actor: 4, id: 2, text: 'Aye, Ada', done: false }, 10);
    expect(s.take({ actor: 4, id: 1, text: 'old', done: true }, 20)).toBeUndefined();
    expect(s.current(30)).toMatchObject([{ actor: 4, text: 'Aye, Ada', done: false }]);
    s.take({ actor: 4, id: 2, text: 'Hm? Say that again.', done: true, replaced: true }, 40);
    expect(s.current(50)).toMatchObject([{ text: 'Hm? Say that again.', replaced: true }]);
    s.said(4);
    expect(s.current(60)).toEqual([]);
    s.take({ actor: 5, id: 3, text: 'Well', done: false }, 100);
    expect(s.current(1200)).toEqual([]);
  });

  it('a streamed line is the bubble over its speaker, shown as still being written until done', () => {
    const bubbles = activeBubbles([line(1, 4, 100, 'old line')], 100, 20);
    const shown = withStreams(bubbles, [{ actor: 4, id: 2, text: 'Aye, Ada', done: false, replaced: false, at: 0 }, { actor: 6, id: 3, text: 'Done.', done: true, replaced: false, at: 0 }], 101);
    expect(shown.get(4)).toMatchObject({ text: 'Aye, Ada…', kind: 'say' });
    expect(shown.get(6)).toMatchObject({ text: 'Done.' });
  });
});
