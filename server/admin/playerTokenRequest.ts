import { ValidationError } from '../../shared/index.ts';
import type { IssuedToken, PlayerTokens } from '../identity/index.ts';
import { AdminError, badRequest } from './adminErrors.ts';

/**
 * `POST /admin/players/tokens` `{ player, tier, ttlSeconds?, name? }`: a signed player token and when it expires.
 * 503 while auth is off; 400 naming each bad field.
 */
export async function issuePlayerToken(tokens: PlayerTokens | null, body: unknown): Promise<IssuedToken> {
  if (!tokens) throw new AdminError(503, 'player tokens are off: set AUTH_SECRET (32+ bytes) on the server to issue and verify them');
  try {
    return await tokens.issue(body);
  } catch (err) {
    if (err instanceof ValidationError) throw badRequest('token request', err.issues);
    throw err;
  }
}
