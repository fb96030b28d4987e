import type { IdentityPort, JoinIdentity } from '../../rooms/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { PlayerTokens } from './playerTokens.ts';

/** What the identity service needs to know of the gateway: its tier names and the tier of guests. */
export interface TierNames {
  readonly tiers: readonly string[];
  readonly guestTier: string;
}

/**
 * The rooms' {@link IdentityPort}: with player tokens on, a join with a token is the player it names (or refused),
 * a join without one is a guest (or refused when tokens are required); with tokens off, everyone is a guest and a
 * token cannot be checked, so a join that sends one is refused rather than silently demoted.
 */
export class PlayerIdentities implements IdentityPort {
  constructor(
    /** Null when auth is off (no AUTH_SECRET). */
    readonly tokens: PlayerTokens | null,
    readonly guestTier: string,
    readonly required = false,
  ) {
    if (required && !tokens) throw new RangeError('player identities: tokens cannot be required while auth is off (set AUTH_SECRET)');
  }

  async identify(token: string | undefined): Promise<JoinIdentity> {
    if (token === undefined || token === '') {
      if (this.required) throw new Error('player token: this server admits players with a token only (send it as Authorization: Bearer <token>)');
      return { kind: 'guest', tier: this.guestTier };
    }
    if (!this.tokens) {
      throw new Error(`player token: this server does not check player tokens (auth is off: AUTH_SECRET is not set), so it cannot accept one; join without a token to play as a guest on the ${this.guestTier} tier`);
    }
    const p = await this.tokens.verify(token);
    return { kind: 'player', account: p.player, tier: p.tier, ...(p.name !== undefined && { name: p.name }) };
  }
}

/** The identity service the server's settings describe; logs once whether auth is on and how to turn it on. */
export function identitiesFromConfig(config: Pick<ServerConfig, 'AUTH_SECRET' | 'AUTH_ISSUER' | 'AUTH_REQUIRED'>, tiers: TierNames, logger: Logger): PlayerIdentities {
  if (!config.AUTH_SECRET) {
    logger.info(`identity: auth off, everyone joins as a guest on the ${tiers.guestTier} tier; set AUTH_SECRET (32+ bytes) to verify player tokens and give players their tiers`);
    return new PlayerIdentities(null, tiers.guestTier);
  }
  const tokens = new PlayerTokens({ secret: config.AUTH_SECRET, issuer: config.AUTH_ISSUER, tiers: tiers.tiers });
  logger.info(
    { issuer: tokens.issuer, tiers: tokens.tiers, tokensRequired: config.AUTH_REQUIRED },
    `identity: player tokens verified (HS256); joins without a token are ${config.AUTH_REQUIRED ? 'refused (AUTH_REQUIRED=1)' : `guests on the ${tiers.guestTier} tier`}`,
  );
  return new PlayerIdentities(tokens, tiers.guestTier, config.AUTH_REQUIRED);
}
