import type { Command } from 'commander';
import { DEFAULT_TIERS, loadLairmindConfig } from '../../llm/index.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, loadConfig, MAX_TOKEN_TTL_SECONDS, PlayerTokens } from '../../server/index.ts';
import { formatPath, ValidationError } from '../../shared/index.ts';

/** The flag each field of a token request comes from, for errors. */
const FLAGS: Record<string, string> = { player: '--player', tier: '--tier', ttlSeconds: '--ttl', name: '--name' };

/**
 * `lairmind token --player ID --tier TIER [--ttl SECONDS] [--name NAME]`: sign a player token locally with AUTH_SECRET
 * (and AUTH_ISSUER) from the environment, as the server's `POST /admin/players/tokens` does. Prints the token on
 * stdout and its expiry on stderr.
 */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description('sign a player token with AUTH_SECRET from the environment (prints the token; its expiry goes to stderr)')
    .requiredOption('--player <id>', 'player id (the token\'s subject)')
    .requiredOption('--tier <tier>', 'the player\'s tier: one the gateway\'s configuration defines (built in: free, premium, whale)')
    .option('--ttl <seconds>', `life of the token in seconds (default ${DEFAULT_TOKEN_TTL_SECONDS}, at most ${MAX_TOKEN_TTL_SECONDS})`)
    .option('--name <name>', 'display name carried by the token')
    .action(async (o: { player: string; tier: string; ttl?: string; name?: string }) => {
      const config = loadConfig({ AUTH_SECRET: process.env.AUTH_SECRET, AUTH_ISSUER: process.env.AUTH_ISSUER });
      if (!config.AUTH_SECRET) throw new Error('AUTH_SECRET is not set: tokens are signed with the server\'s secret (32+ bytes), read from the environment');
      if (o.ttl !== undefined && !/^\d+$/.test(o.ttl)) throw new Error(`--ttl must be a whole number of seconds, got '${o.ttl}'`);
      // The tiers of the same configuration file the server reads (LAIRMIND_CONFIG or ./lairmind.config.yaml).
      const tiers = Object.keys(loadLairmindConfig().config.tiers ?? DEFAULT_TIERS);
      const tokens = new PlayerTokens({ secret: config.AUTH_SECRET, issuer: config.AUTH_ISSUER, tiers });
      try {
        const issued = await tokens.issue({ player: o.player, tier: o.tier, ...(o.ttl !== undefined && { ttlSeconds: Number(o.ttl) }), ...(o.name !== undefined && { name: o.name }) });
        console.log(issued.token);
        console.error(`token for ${o.player} (${o.tier}), expires at ${issued.expiresAt}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        throw new Error(err.issues.map((i) => `${FLAGS[String(i.path[0])] ?? formatPath(i.path)}: ${i.message}`).join('; '), { cause: err });
      }
    });
}
