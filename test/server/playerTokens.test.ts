import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig, PlayerIdentities, PlayerTokenError, PlayerTokens } from '../../server/index.ts';
import { ValidationError } from '../../shared/index.ts';

const SECRET = 'a-test-secret-of-forty-bytes-0123456789';
const TIERS = ['free', 'premium', 'whale'];
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

/** Tokens on a manual clock. */
function tokens(opts: { secret?: string; issuer?: string; tiers?: string[] } = {}) {
  const clock = { now: T0 };
  const t = new PlayerTokens({ secret: opts.secret ?? SECRET, tiers: opts.tiers ?? TIERS, ...(opts.issuer && { issuer: opts.issuer }), now: () => clock.now });
  return { t, clock };
}

/** A token signed by hand (what a server of ours would never issue). */
function craft(claims: Record<string, unknown>, opts: { exp?: number | null; iss?: string | null; sub?: string | null; secret?: string; alg?: string } = {}): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'HS256' }).setIssuedAt(T0 / 1000);
  if (opts.sub !== null) jwt = jwt.setSubject(opts.sub ?? 'alice');
  if (opts.iss !== null) jwt = jwt.setIssuer(opts.iss ?? 'lairmind');
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? T0 / 1000 + 600);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

async function refusal(p: Promise<unknown>): Promise<PlayerTokenError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlayerTokenError);
  return err as PlayerTokenError;
}

describe('player tokens', () => {
  it('a token issued for a player verifies to that player, tier and name, and expires after its ttl (1 h by default)', async () => {
    const { t } = tokens();
    const issued = await t.issue({ player: 'alice', tier: 'premium', name: 'Alice' });
    expect(issued.expiresAt).toBe(new Date(T0 + 3600_000).toISOString());
    await expect(t.verify(issued.token)).resolves.toEqual({ player: 'alice', tier: 'premium', name: 'Alice', expiresAt: T0 + 3600_000 });
    const short = await t.issue({ player: 'bob', tier: 'whale', ttlSeconds: 60 });
    expect(short.expiresAt).toBe(new Date(T0 + 60_000).toISOString());
    await expect(t.verify(short.token)).resolves.toEqual({ player: 'bob', tier: 'whale', expiresAt: T0 + 60_000 });
  });

  it('a token signed with another secret, or altered after signing, is refused as not verifying', async () => {
    const { t } = tokens();
    const other = tokens({ secret: 'another-secret-that-is-long-enough-too!!' }).t;
    const forged = await other.issue({ player: 'alice', tier: 'whale' });
    expect((await refusal(t.verify(forged.token))).message).toBe('player token: signature does not verify (not signed with this server\'s secret, or altered since)');
    // A free token edited to say whale: the signature no longer matches.
    const real = (await t.issue({ player: 'alice', tier: 'free' })).token;
    const [h, p, s] = real.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...claims, tier: 'whale' })).toString('base64url')}.${s}`;
    expect((await refusal(t.verify(edited))).problem).toBe('forged');
  });

  it('an expired token is refused with the time it expired', async () => {
    const { t, clock } = tokens();
    const issued = await t.issue({ player: 'alice', tier: 'premium', ttlSeconds: 60 });
    clock.now = T0 + 59_000;
    await expect(t.verify(issued.token)).resolves.toMatchObject({ player: 'alice' });
    clock.now = T0 + 61_000;
    const err = await refusal(t.verify(issued.token));
    expect(err.problem).toBe('expired');
    expect(err.message).toBe(`player token: expired at ${new Date(T0 + 60_000).toISOString()}; ask for a new one`);
  });

  it('a token from another issuer is refused naming both issuers', async () => {
    const { t } = tokens();
    const theirs = await tokens({ issuer: 'other-game' }).t.issue({ player: 'alice', tier: 'premium' });
    expect((await refusal(t.verify(theirs.token))).message).toBe('player token: issuer "other-game" is not this server\'s ("lairmind")');
    expect((await refusal(t.verify(await craft({ tier: 'free' }, { iss: null })))).message).toBe('player token: has no "iss" claim; expected "lairmind"');
  });

  it('a token naming a tier the server does not define is refused naming the tier', async () => {
    const { t } = tokens();
    const gold = await tokens({ tiers: [...TIERS, 'gold'] }).t.issue({ player: 'alice', tier: 'gold' });
    const err = await refusal(t.verify(gold.token));
    expect(err.problem).toBe('tier');
    expect(err.message).toBe('player token: tier "gold" is not defined on this server (tiers: free, premium, whale)');
    expect((await refusal(t.verify(await craft({})))).message).toMatch(/has no "tier" claim/);
  });

  it('a token without an expiry, without a player, with another algorithm, or not a JWT at all is refused with the reason', async () => {
    const { t } = tokens();
    expect((await refusal(t.verify(await craft({ tier: 'free' }, { exp: null })))).message).toBe('player token: has no "exp" claim (player tokens must expire)');
    expect((await refusal(t.verify(await craft({ tier: 'free' }, { sub: null })))).message).toBe('player token: has no "sub" claim (the player id)');
    expect((await refusal(t.verify(await craft({ tier: 'free' }, { sub: 'guest:abc' })))).message).toMatch(/"sub" \(the player id\): ids starting with "guest:" are reserved/);
    expect((await refusal(t.verify(await craft({ tier: 'free' }, { alg: 'HS512' })))).message).toBe('player token: "HS512" is not accepted (HS256 only)');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice","tier":"whale"}').toString('base64url')}.`;
    expect((await refusal(t.verify(unsigned))).problem).toMatch(/algorithm|malformed/);
    for (const junk of ['', 'abc', 'a.b.c', 'x'.repeat(5000)]) expect((await refusal(t.verify(junk))).problem).toBe('malformed');
  });

  it('issuing validates the request and names each bad field', async () => {
    const { t } = tokens();
    const err = await t.issue({ player: 'guest:42', tier: 'gold', ttlSeconds: 31 * 24 * 3600, extra: 1 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['player', 'tier', 'ttlSeconds']));
    expect((err as ValidationError).message).toMatch(/tier: "gold" is not a tier this server defines \(tiers: free, premium, whale\)/);
    expect((err as ValidationError).message).toMatch(/extra/);
    await expect(t.issue({ player: 'has space', tier: 'free' })).rejects.toThrow(/player: got "has space"; expected 1 to 128 printable ASCII/);
    await expect(t.issue({ tier: 'free' })).rejects.toThrow(/player/);
  });

  it('refuses a secret shorter than 32 bytes, in code and in the environment, without echoing it', () => {
    expect(() => new PlayerTokens({ secret: 'short', tiers: TIERS })).toThrow('player tokens: the secret is 5 bytes; it must be at least 32');
    let err: unknown;
    try {
      loadConfig({ AUTH_SECRET: 'hunter2-is-my-secret' });
    } catch (e) {
      err = e;
    }
    expect(String(err)).toMatch(/AUTH_SECRET: must be at least 32 bytes/);
    expect(String(err)).not.toContain('hunter2');
    expect(() => loadConfig({ AUTH_REQUIRED: '1' })).toThrow(/AUTH_REQUIRED: needs AUTH_SECRET/);
    expect(loadConfig({ AUTH_SECRET: SECRET, AUTH_REQUIRED: '1' })).toMatchObject({ AUTH_REQUIRED: true, AUTH_ISSUER: 'lairmind' });
  });
});

describe('player identities (the rooms\' identity port)', () => {
  it('with auth on: a token is its player; no token is a guest on the default tier, or refused when tokens are required', async () => {
    const { t } = tokens();
    const ids = new PlayerIdentities(t, 'free');
    const token = (await t.issue({ player: 'alice', tier: 'premium', name: 'Al' })).token;
    await expect(ids.identify(token)).resolves.toEqual({ kind: 'player', account: 'alice', tier: 'premium', name: 'Al' });
    await expect(ids.identify(undefined)).resolves.toEqual({ kind: 'guest', tier: 'free' });
    await expect(ids.identify('a.b.c')).rejects.toBeInstanceOf(PlayerTokenError);
    const strict = new PlayerIdentities(t, 'free', true);
    await expect(strict.identify(undefined)).rejects.toThrow('player token: this server admits players with a token only (send it as Authorization: Bearer <token>)');
    await expect(strict.identify(token)).resolves.toMatchObject({ account: 'alice' });
  });

  it('with auth off: everyone is a guest, and a join that sends a token is refused (it cannot be checked)', async () => {
    const ids = new PlayerIdentities(null, 'free');
    await expect(ids.identify(undefined)).resolves.toEqual({ kind: 'guest', tier: 'free' });
    const token = (await tokens().t.issue({ player: 'alice', tier: 'whale' })).token;
    await expect(ids.identify(token)).rejects.toThrow(/does not check player tokens \(auth is off: AUTH_SECRET is not set\)/);
    expect(() => new PlayerIdentities(null, 'free', true)).toThrow(/cannot be required while auth is off/);
  });
});
