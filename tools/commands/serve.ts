import type { Command } from 'commander';
import { exitOnSignals, loadConfig, startServer } from '../../server/index.ts';
import { DEFAULT_SEED } from '../../shared/index.ts';

/** `lairmind serve`: the game server, configured by environment variables (see the README). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the game server (settings from environment variables; embedded defaults need none)')
    .option('--port <port>', 'TCP port (overrides PORT)')
    .option('--transport <kind>', 'uws or ws (overrides TRANSPORT)')
    .option('--seed <seed>', `world seed of new rooms (overrides SEED; default ${DEFAULT_SEED})`)
    .action(async (o: { port?: string; transport?: string; seed?: string }) => {
      const config = loadConfig({ ...process.env, ...(o.port && { PORT: o.port }), ...(o.transport && { TRANSPORT: o.transport }), ...(o.seed && { SEED: o.seed }) });
      exitOnSignals(await startServer(config));
    });
}
