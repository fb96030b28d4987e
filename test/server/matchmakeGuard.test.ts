import { describe, expect, it } from 'vitest';
import { addressKey, forwardedAddress, isLoopback } from '../../server/clientAddress.ts';
import { MatchmakeGuard } from '../../server/matchmakeGuard.ts';
import type { MatchmakeGuardOptions } from '../../server/matchmakeGuard.ts';
import { checkMatchmakeBody } from '../../server/matchmakeOptions.ts';

/** A guard on a manual clock whose requests come from `at.peer`. */
function guardAt(options: Omit<MatchmakeGuardOptions, 'peer' | 'now'> = {}): { guard: MatchmakeGuard; at: { peer: string; ms: number } } {
  const at = { peer: '203.0.113.7', ms: 0 };
  return { guard: new MatchmakeGuard({ ...options, peer: () => at.peer, now: () => at.ms }), at };
}

function post(path: string, body = '{}', headers: Record<string, string> = {}): Request {
  return new Request(`http://game.test/matchmake/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function status(guard: MatchmakeGuard, req: Request): Promise<number> {
  const r = await guard.onRequest(req);
  return r instanceof Response ? r.status : 0; // 0: passed on to Colyseus
}

describe('client addresses', () => {
  it('keys IPv4 as is, unwraps IPv4-mapped IPv6 (short and long form), groups IPv6 by /64', () => {
    expect(addressKey('198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('0000:0000:0000:0000:0000:ffff:7f00:0001')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:eeee:dddd:cccc'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::1')).toBe('::1');
    expect(addressKey('not an address')).toBe('not an address');
  });

  it('knows loopback', () => {
    expect(isLoopback(addressKey('127.0.0.1'))).toBe(true);
    expect(isLoopback(addressKey('127.4.5.6'))).toBe(true);
    expect(isLoopback(addressKey('::1'))).toBe(true);
    expect(isLoopback(addressKey('::ffff:127.0.0.1'))).toBe(true);
    expect(isLoopback(addressKey('10.0.0.1'))).toBe(false);
    expect(isLoopback(addressKey('2001:db8::1'))).toBe(false);
  });

  it('behind trusted proxies, takes the client from X-Forwarded-For counted from the right', () => {
    expect(forwardedAddress('10.0.0.2', 'spoofed, 198.51.100.4', 1)).toBe('198.51.100.4');
    expect(forwardedAddress('10.0.0.2', 'spoofed, 198.51.100.4, 10.0.0.3', 2)).toBe('198.51.100.4');
    expect(forwardedAddress('10.0.0.2', 'spoofed, 198.51.100.4', 0)).toBe('10.0.0.2');
    expect(forwardedAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
  });
});

describe('matchmaking options', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  const check = (body: string, method = 'joinOrCreate', type: string | null = 'application/json') => checkMatchmakeBody(method, type, bytes(body));

  it('passes what a player may set, re-serialisable, and nothing else', () => {
    expect(check('{"name": "Ada", "scenario": "wolf-ambush"}')).toEqual({ ok: true, options: { name: 'Ada', scenario: 'wolf-ambush' } });
    expect(check('')).toEqual({ ok: true, options: {} });
    expect(check('{"reconnectionToken": "tok"}', 'reconnect')).toEqual({ ok: true, options: { reconnectionToken: 'tok' } });
  });

  it('refuses, naming what is wrong', () => {
    const cases: [string, number, RegExp][] = [
      ['{"hasOwnProperty": 1}', 400, /room option "hasOwnProperty" is not a room option/],
      ['{"seed": "x"}', 400, /room option "seed" is set by the server/],
      ['{"__proto__": {"name": "x"}}', 400, /key "__proto__" is not allowed \(at options\.__proto__\)/],
      ['{"name": {"prototype": 1}}', 400, /key "prototype" is not allowed \(at options\.name\.prototype\)/],
      ['{"name": [[[[["x"]]]]]}', 400, /nested deeper than 4 levels \(at options\.name\[0\]\[0\]\[0\]\)/],
      [`{"name": [${new Array(80).fill(1).join(',')}]}`, 400, /more than 64 keys and items/],
      ['{"name": "x".repeat(3)}', 400, /not valid JSON/],
      ['"just a string"', 400, /must be a JSON object, not string/],
      ['null', 400, /must be a JSON object, not null/],
      ['{"name": "' + 'x'.repeat(33) + '"}', 400, /options\.name/],
      [`{"name": "${'x'.repeat(5000)}"}`, 413, /5012 bytes are over the limit of 4096 bytes/],
    ];
    for (const [body, st, re] of cases) {
      const r = check(body);
      expect(r.ok, body.slice(0, 40)).toBe(false);
      if (!r.ok) {
        expect(r.status, body.slice(0, 40)).toBe(st);
        expect(r.error, body.slice(0, 40)).toMatch(re);
      }
    }
    expect(check('name=x', 'joinOrCreate', 'application/x-www-form-urlencoded')).toMatchObject({ ok: false, status: 415 });
    expect(check('{"reconnectionToken": "t", "name": "x"}', 'reconnect')).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/reconnect takes only reconnectionToken/) });
  });
});

describe('MatchmakeGuard', () => {
  it('passes other routes and methods untouched', async () => {
    const { guard } = guardAt();
    expect(await guard.onRequest(new Request('http://game.test/matchmake/create/world'))).toBeUndefined();
    expect(await guard.onRequest(new Request('http://game.test/health', { method: 'POST', body: 'x' }))).toBeUndefined();
  });

  it('hands Colyseus a request whose body holds only the clean options', async () => {
    const { guard } = guardAt();
    const out = await guard.onRequest(post('joinOrCreate/world', '{"name": "Ada"}', { 'content-length': '15', authorization: 'Bearer t' }));
    expect(out).toBeInstanceOf(Request);
    const req = out as Request;
    expect(await req.json()).toEqual({ name: 'Ada' });
    expect(req.headers.get('authorization')).toBe('Bearer t');
  });

  it('limits each address by a token bucket: 20 at once, 2 a second after; a create costs 5', async () => {
    const { guard, at } = guardAt();
    const bad = (): Request => post('join/world', '{"bogus": 1}'); // refused by its options, after the rate is counted
    for (let i = 0; i < 20; i++) expect(await status(guard, bad())).toBe(400);
    const refused = (await guard.onRequest(bad())) as Response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 20 at once and 2 a second/);
    at.peer = '203.0.113.8'; // someone else
    expect(await status(guard, bad())).toBe(400);
    at.peer = '203.0.113.7';
    at.ms += 1000; // two tokens back
    expect(await status(guard, bad())).toBe(400);
    expect(await status(guard, bad())).toBe(400);
    expect(await status(guard, bad())).toBe(429);
    at.ms += 2000; // four tokens: not enough for a create (5)
    const create = (await guard.onRequest(post('create/world', '{"bogus": 1}'))) as Response;
    expect(create.status).toBe(429);
    expect(create.headers.get('retry-after')).toBe('1');
    at.ms += 500;
    expect(await status(guard, post('create/world', '{"bogus": 1}'))).toBe(400);
  });

  it('holds at most 4 untaken seats per address; they stop counting when the reservation time is over', async () => {
    const { guard, at } = guardAt();
    for (let i = 0; i < 4; i++) expect(await status(guard, post('joinById/room1'))).toBe(0);
    expect(guard.pendingSeats('203.0.113.7')).toBe(4);
    const refused = (await guard.onRequest(post('joinById/room1'))) as Response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(guard.limits.seatSeconds));
    expect(((await refused.json()) as { error: string }).error).toMatch(/4 seats reserved for your address are still waiting/);
    // Reconnecting takes no new seat; another address has its own.
    expect(await status(guard, post('reconnect/room1', '{"reconnectionToken": "t"}'))).toBe(0);
    at.peer = '198.51.100.1';
    expect(await status(guard, post('joinById/room1'))).toBe(0);
    at.peer = '203.0.113.7';
    at.ms += guard.limits.seatSeconds * 1000;
    expect(guard.pendingSeats('203.0.113.7')).toBe(0);
    expect(await status(guard, post('joinById/room1'))).toBe(0);
  });

  it('spares this machine unless told to limit it too', async () => {
    const spared = guardAt();
    spared.at.peer = '127.0.0.1';
    for (let i = 0; i < 30; i++) expect(await status(spared.guard, post('joinById/room1'))).toBe(0);
    const limited = guardAt({ limitLoopback: true });
    limited.at.peer = '::ffff:127.0.0.1';
    for (let i = 0; i < 4; i++) expect(await status(limited.guard, post('joinById/room1'))).toBe(0);
    expect(await status(limited.guard, post('joinById/room1'))).toBe(429);
  });

  it('behind a trusted proxy, limits the forwarded client, not the proxy', async () => {
    const { guard, at } = guardAt({ trustProxy: 1 });
    at.peer = '10.0.0.2'; // the proxy
    const from = (client: string): Request => post('joinById/room1', '{}', { 'x-forwarded-for': `1.2.3.4, ${client}` });
    for (let i = 0; i < 4; i++) expect(await status(guard, from('198.51.100.9'))).toBe(0);
    expect(await status(guard, from('198.51.100.9'))).toBe(429);
    expect(await status(guard, from('198.51.100.10'))).toBe(0);
  });

  it('remembers a bounded number of addresses, forgetting the least recently seen', async () => {
    const { guard, at } = guardAt({ limits: { addresses: 2 } });
    for (const peer of ['198.51.100.1', '198.51.100.2']) {
      at.peer = peer;
      for (let i = 0; i < 4; i++) await guard.onRequest(post('joinById/room1'));
    }
    at.peer = '198.51.100.3';
    await guard.onRequest(post('joinById/room1'));
    expect(guard.pendingSeats('198.51.100.1')).toBe(0); // forgotten
    expect(guard.pendingSeats('198.51.100.2')).toBe(4);
    expect(guard.pendingSeats('198.51.100.3')).toBe(1);
  });
});
