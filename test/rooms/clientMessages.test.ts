import { describe, expect, it } from 'vitest';
import { checkClientMessage } from '../../rooms/index.ts';

describe('client message errors name the path and the bad value', () => {
  it('out of range, wrong type, missing, unknown key', () => {
    expect(checkClientMessage('move', { dir: { x: 2, y: 0 } })).toEqual({ ok: false, error: 'move.dir.x: got 2; expected a number from -1 to 1' });
    expect(checkClientMessage('attack', { target: 'monster' })).toEqual({ ok: false, error: 'attack.target: got "monster"; expected an integer greater than 0 and at most 4294967295' });
    expect(checkClientMessage('talk', { to: 3 })).toEqual({ ok: false, error: 'talk.text: required; expected text of 1 to 280 characters' });
    expect(checkClientMessage('ping', { t: 1, tt: 2 })).toEqual({ ok: false, error: 'ping.tt: unknown key (allowed here: t)' });
    expect(checkClientMessage('attack', { targt: 5 })).toEqual({ ok: false, error: 'attack.targt: unknown key; did you mean "target"? (allowed here: target)' });
  });
});
