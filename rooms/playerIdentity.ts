/** Prefix of a guest's account: `guest:<sessionId>`. */
export const GUEST_PREFIX = 'guest:';

/** Tier of a guest when the room has no identity service. */
export const DEFAULT_GUEST_TIER = 'free';

/** Who a joining client is, as the identity service answers: a player named by a signed token, or a guest. */
export type JoinIdentity =
  | { readonly kind: 'player'; readonly account: string; readonly tier: string; readonly name?: string }
  | { readonly kind: 'guest'; readonly tier: string };

/** Who a client in the room is. A guest's account is `guest:<sessionId>`. */
export interface PlayerIdentity {
  readonly account: string;
  readonly tier: string;
  readonly guest: boolean;
  /** The name the token carries, if any (the player's display name otherwise comes from the join options). */
  readonly name?: string;
}

/**
 * The port through which a world room learns who joins. Implemented by the server (player tokens); the room asks
 * it once per join, during matchmaking, and keeps the answer for the client's life (reconnections included).
 */
export interface IdentityPort {
  /** Tier of a join that carries no token, or reaches the room without matchmaking. */
  readonly guestTier: string;
  /**
   * Identify a join from its bearer token (`undefined` when the client sent none). Rejects with an Error whose
   * message the client is shown (a forged, expired or malformed token; a token while tokens cannot be checked;
   * no token where one is required).
   */
  identify(token: string | undefined): Promise<JoinIdentity>;
}

/** The identity of a session, from what the identity service answered at matchmaking (a guest when nothing). */
export function identityOf(sessionId: string, auth: unknown, guestTier: string): PlayerIdentity {
  const a = auth as Partial<JoinIdentity> | undefined;
  if (a?.kind === 'player' && typeof a.account === 'string' && typeof a.tier === 'string') {
    return { account: a.account, tier: a.tier, guest: false, ...(typeof a.name === 'string' && { name: a.name }) };
  }
  const tier = a?.kind === 'guest' && typeof a.tier === 'string' ? a.tier : guestTier;
  return { account: GUEST_PREFIX + sessionId, tier, guest: true };
}
