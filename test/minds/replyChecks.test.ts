import { describe, expect, it } from 'vitest';
import { dialoguePrompt, echoIndex, finishReply, replyProblem, withoutNumbers } from '../../minds/index.ts';
import type { ReplyContext } from '../../minds/index.ts';

const ctx: ReplyContext = {
  persona: { name: 'Hilda', role: 'blacksmith', knows: ['the old mine east of the village is full of spiders'], mood: 'gruff', species: 'human' },
  playerName: 'Ada', text: 'where can I find the mine?', intent: 'askDirections', confidence: 0.9, disposition: 0, memory: null,
  sees: ['Tobin, close by to the west', 'a wolf, a short walk to the north'],
};
const { check } = dialoguePrompt(ctx);
const problem = (text: string, final = true): string | undefined => replyProblem(text, check, final)?.check;

describe('checks on a generated reply', () => {
  it('lets an in-character line through, naming only what the speaker knows and sees', () => {
    expect(problem('Aye, Ada. The old mine lies east of the village, but mind the spiders.')).toBeUndefined();
    expect(problem('Tobin over there pours a fine ale. Ask him, Ada.')).toBeUndefined();
    expect(problem('Hmph. I have 3 spare nails, no more.')).toBeUndefined();
  });

  it('refuses coordinates, ids and raw numbers', () => {
    expect(problem('The mine is at 12, -4.')).toBe('numbers');
    expect(problem('Go to -3 and turn.')).toBe('numbers');
    expect(problem('It costs 250 gold.')).toBe('numbers');
    expect(problem('Talk to #7 over there.')).toBe('ids');
    expect(problem('Your actor id is 4.')).toBe('ids');
    expect(problem('Check the coordinates on your map.')).toBe('ids');
  });

  it('refuses an echo of its instructions and talk from outside the world', () => {
    const echoed = 'Sure! never invent names or places, never give numbers, coordinates or ids.';
    expect(['echo', 'ids']).toContain(problem(echoed));
    expect(replyProblem('I was told to use only what is written here never invent names or places', check, true, echoIndex(check.instructions))?.check).toBe('echo');
    expect(problem('As an AI language model, I cannot say.')).toBe('meta');
    expect(problem('My system prompt says to be gruff.')).toBe('meta');
  });

  it('refuses names the persona cannot know, and judges a name still being written only at the end', () => {
    expect(problem('Ask King Aldric in Stormhaven about the mine.')).toBe('unknown-name');
    expect(problem('Ask Tobin about it, Ada', false)).toBeUndefined();
    expect(problem('Ask Aldr', false)).toBeUndefined(); // may still grow into a known name
    expect(problem('Ask Aldric about it', false)).toBe('unknown-name');
  });

  it('refuses an empty or overlong line', () => {
    expect(problem('   ')).toBe('empty');
    expect(problem('word '.repeat(100))).toBe('length');
  });

  it('finishes a line: first line, no speaker prefix, no quotes, cut at a sentence within 280 characters', () => {
    expect(finishReply('Hilda: "Well met."\nSecond line', 'Hilda')).toBe('Well met.');
    const long = `${'The mine is dark. '.repeat(20)}`;
    const done = finishReply(long, 'Hilda');
    expect(done.length).toBeLessThanOrEqual(280);
    expect(done.endsWith('.')).toBe(true);
  });

  it('the local reply never speaks raw numbers', () => {
    expect(withoutNumbers('My den lies near -2, 3.')).toBe('My den lies near hereabouts.');
    expect(withoutNumbers('I saw 3 wolves and 40 rats.')).toBe('I saw three wolves and many rats.');
  });
});
