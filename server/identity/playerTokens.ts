import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { parseWith } from '../../shared/index.ts';

/** Default life of an issued token, seconds (one hour). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** Longest life of an issued token, seconds (30 days). */
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** The only signing algorithm: HMAC-SHA256 with the shared secret. */
export const TOKEN_ALGORITHM = 'HS256';
/** The issuer tokens carry unless configured otherwise (AUTH_ISSUER). */
export const DEFAULT_TOKEN_ISSUER = 'lairmind';
/** Shortest secret, in bytes (the key of HS256 should be as long as its hash). */
export const MIN_SECRET_BYTES = 32;
/** Longest token looked at; longer ones are refused unread. */
export const MAX_TOKEN_CHARS = 4096;

/** Player ids: 1–128 printable ASCII characters, no spaces; `guest:` is reserved for guests. */
const PlayerIdSchema = z.string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'expected 1 to 128 printable ASCII characters without spaces')
  .refine((s) => !s.startsWith('guest:'), 'ids starting with "guest:" are reserved for guests');

const NameSchema = z.string().min(1).max(32);

/** Why a token was refused (the message says it in words). */
export type PlayerTokenProblem = 'malformed' | 'forged' | 'expired' | 'issuer' | 'claims' | 'tier' | 'algorithm';

/** A player token that does not verify; the message names the reason and is meant for the client. */
export class PlayerTokenError extends Error {
  constructor(readonly problem: PlayerTokenProblem, message: string, options?: { cause?: unknown }) {
    super(`player token: ${message}`, options);
    this.name = 'PlayerTokenError';
  }
}

/** What a verified token says. */
export interface VerifiedPlayer {
  /** The player id (`sub`). */
  readonly player: string;
  readonly tier: string;
  readonly name?: string;
  /** When the token expires, ms since the epoch. */
  readonly expiresAt: number;
}

/** What to sign: a player, their tier, optionally a display name and a life in seconds. */
export interface TokenRequest {
  readonly player: string;
  readonly tier: string;
  readonly ttlSeconds?: number;
  readonly name?: string;
}

export interface IssuedToken {
  readonly token: string;
  /** ISO 8601 time the token expires. */
  readonly expiresAt: string;
}

export interface PlayerTokenOptions {
  /** The shared secret, at least {@link MIN_SECRET_BYTES} bytes. */
  readonly secret: string;
  /** Tier names the server defines: tokens name one of them. */
  readonly tiers: readonly string[];
  /** `iss` of issued tokens, and the only one accepted (default {@link DEFAULT_TOKEN_ISSUER}). */
  readonly issuer?: string;
  /** Clock, ms since the epoch (tests pass a manual one). */
  readonly now?: () => number;
}

/**
 * Player tokens: JWTs signed with HS256 and the server's secret, carrying the player id (`sub`), the tier the
 * server gave them, an optional display name, the issuer and an expiry. {@link verify} checks the signature, the
 * issuer, the expiry and that the tier is one the server defines.
 */
export class PlayerTokens {
  readonly issuer: string;
  readonly tiers: readonly string[];
  private readonly key: Uint8Array;
  private readonly now: () => number;
  private readonly requestSchema;

  constructor(opts: PlayerTokenOptions) {
    const bytes = Buffer.byteLength(opts.secret, 'utf8');
    if (bytes < MIN_SECRET_BYTES) throw new RangeError(`player tokens: the secret is ${bytes} bytes; it must be at least ${MIN_SECRET_BYTES}`);
    if (opts.tiers.length === 0) throw new RangeError('player tokens: no tiers to give players');
    this.key = new TextEncoder().encode(opts.secret);
    this.issuer = opts.issuer ?? DEFAULT_TOKEN_ISSUER;
    this.tiers = [...opts.tiers];
    this.now = opts.now ?? Date.now;
    const tiers = this.tiers;
    this.requestSchema = z.object({
      player: PlayerIdSchema,
      tier: z.string().superRefine((t, ctx) => {
        if (!tiers.includes(t)) ctx.addIssue({ code: 'custom', message: `${quote(t)} is not a tier this server defines (tiers: ${tiers.join(', ')})` });
      }),
      ttlSeconds: z.number().int().min(1).max(MAX_TOKEN_TTL_SECONDS).default(DEFAULT_TOKEN_TTL_SECONDS),
      name: NameSchema.optional(),
    }).strict();
  }

  /** Sign a token for a player; a bad request throws a ValidationError naming each bad field. */
  async issue(request: TokenRequest | unknown): Promise<IssuedToken> {
    const r = parseWith(this.requestSchema, request, 'token request');
    const now = this.now();
    const exp = Math.floor(now / 1000) + r.ttlSeconds;
    const token = await new SignJWT({ tier: r.tier, ...(r.name !== undefined && { name: r.name }) })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
      .setSubject(r.player)
      .setIssuer(this.issuer)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** Verify a token; throws a {@link PlayerTokenError} naming the reason when it does not hold. */
  async verify(token: string): Promise<VerifiedPlayer> {
    if (token.length > MAX_TOKEN_CHARS) throw new PlayerTokenError('malformed', `longer than ${MAX_TOKEN_CHARS} characters`);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      throw this.explain(err, token);
    }
    const sub = PlayerIdSchema.safeParse(payload.sub);
    if (!sub.success) throw new PlayerTokenError('claims', `"sub" (the player id): ${sub.error.issues[0]?.message ?? 'invalid'}`);
    const tier = payload.tier;
    if (typeof tier !== 'string') throw new PlayerTokenError('claims', 'has no "tier" claim (a string naming the player\'s tier)');
    if (!this.tiers.includes(tier)) throw new PlayerTokenError('tier', `tier ${quote(tier)} is not defined on this server (tiers: ${this.tiers.join(', ')})`);
    const name = payload.name === undefined ? undefined : NameSchema.safeParse(payload.name);
    if (name && !name.success) throw new PlayerTokenError('claims', '"name": expected a string of 1 to 32 characters');
    return { player: sub.data, tier, ...(name?.success && { name: name.data }), expiresAt: (payload.exp as number) * 1000 };
  }

  /** A jose error as a {@link PlayerTokenError} with the reason in words; anything else is returned as is. */
  private explain(err: unknown, token: string): unknown {
    if (!(err instanceof errors.JOSEError)) return err;
    const cause = { cause: err };
    if (err instanceof errors.JWTExpired) {
      const exp = err.payload.exp;
      return new PlayerTokenError('expired', `expired${typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : ''}; ask for a new one`, cause);
    }
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return new PlayerTokenError('forged', 'signature does not verify (not signed with this server\'s secret, or altered since)', cause);
    }
    if (err instanceof errors.JOSEAlgNotAllowed) {
      let alg = 'its algorithm';
      try {
        alg = quote(String(decodeProtectedHeader(token).alg));
      } catch {
        // keep the generic wording
      }
      return new PlayerTokenError('algorithm', `${alg} is not accepted (${TOKEN_ALGORITHM} only)`, cause);
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'iss') {
        const iss = err.payload.iss;
        return new PlayerTokenError('issuer', iss === undefined ? `has no "iss" claim; expected ${quote(this.issuer)}` : `issuer ${quote(String(iss))} is not this server's (${quote(this.issuer)})`, cause);
      }
      if (err.claim === 'exp' && err.reason === 'missing') return new PlayerTokenError('claims', 'has no "exp" claim (player tokens must expire)', cause);
      if (err.claim === 'sub' && err.reason === 'missing') return new PlayerTokenError('claims', 'has no "sub" claim (the player id)', cause);
      return new PlayerTokenError('claims', `claim "${err.claim}" ${err.reason === 'missing' ? 'is missing' : `does not hold (${err.message})`}`, cause);
    }
    if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
      return new PlayerTokenError('malformed', `malformed, not a signed JWT (${err.message})`, cause);
    }
    return new PlayerTokenError('malformed', err.message, cause);
  }
}

/** Client text quoted back, cut short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
