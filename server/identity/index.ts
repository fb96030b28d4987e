export { PlayerTokens, PlayerTokenError, DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS, DEFAULT_TOKEN_ISSUER, MIN_SECRET_BYTES, MAX_TOKEN_CHARS, TOKEN_ALGORITHM } from './playerTokens.ts';
export type { PlayerTokenOptions, PlayerTokenProblem, VerifiedPlayer, TokenRequest, IssuedToken } from './playerTokens.ts';
export { PlayerIdentities, identitiesFromConfig } from './playerIdentities.ts';
export type { TierNames } from './playerIdentities.ts';
