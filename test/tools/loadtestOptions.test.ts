import { describe, expect, it } from 'vitest';
import { httpBase, parseDuration, parseLoadtestOptions } from '../../tools/loadtest/index.ts';

describe('load-test options', () => {
  it('reads durations and fills defaults', () => {
    expect([parseDuration('30s'), parseDuration('2m'), parseDuration('500ms'), parseDuration('7')]).toEqual([30, 120, 0.5, 7]);
    const o = parseLoadtestOptions({ url: 'ws://127.0.0.1:2567', bots: '500', ramp: '30s', duration: '120s', mix: 'fighter:50,wanderer:40,talker:10', workers: '2' });
    expect(o).toMatchObject({ bots: 500, ramp: 30, duration: 120, workers: 2, room: 'world', mix: { fighter: 50, wanderer: 40, talker: 10 } });
  });

  it('is loopback only unless remote is allowed', () => {
    expect(() => parseLoadtestOptions({ url: 'ws://10.0.0.8:2567', bots: 1 })).toThrow(/url: 10\.0\.0\.8 is not this machine; load-testing another host needs --allow-remote/);
    expect(parseLoadtestOptions({ url: 'ws://10.0.0.8:2567', bots: 1, allowRemote: true }).url).toBe('ws://10.0.0.8:2567');
    expect(parseLoadtestOptions({ url: 'ws://localhost:1', bots: 1 }).url).toBe('ws://localhost:1');
    expect(() => parseLoadtestOptions({ url: 'http://127.0.0.1:1', bots: 1 })).toThrow(/url: must be a ws:\/\/ or wss:\/\/ address/);
  });

  it('is bounded in bots, workers and time, naming each bad field', () => {
    expect(() => parseLoadtestOptions({ url: 'ws://127.0.0.1:1', bots: 5001, workers: 99, duration: '2h', ramp: '11m' })).toThrow(
      /invalid loadtest options: bots: .*<=5000.*; ramp: at most 600 s; duration: '2h' is not a duration.*; workers: .*<=32/,
    );
    expect(() => parseLoadtestOptions({ url: 'ws://127.0.0.1:1', bots: 0 })).toThrow(/bots:/);
  });

  it('maps WebSocket addresses to the HTTP base', () => {
    expect(httpBase('ws://127.0.0.1:2567')).toBe('http://127.0.0.1:2567');
    expect(httpBase('wss://game.example/')).toBe('https://game.example');
  });
});
