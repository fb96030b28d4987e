import type { Command } from 'commander';
import { loadConfig, startServer } from '../../server/index.ts';

/** `lairmind serve`: the game server, configured by environment variables (see the README). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the game server (settings from environment variables; embedded defaults need none)')
    .option('--port <port>', 'TCP port (overrides PORT)')
    .option('--transport <kind>', 'uws or ws (overrides TRANSPORT)')
    .action(async (o: { port?: string; transport?: string }) => {
      const config = loadConfig({ ...process.env, ...(o.port && { PORT: o.port }), ...(o.transport && { TRANSPORT: o.transport }) });
      const running = await startServer(config);
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          running.logger.info({ signal }, 'lairmind: shutting down');
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          // A shutdown that hangs (e.g. Redis unreachable) must not keep the process alive.
          setTimeout(() => {
            running.logger.error('lairmind: shutdown took longer than 10 s; exiting');
            process.exit(1);
          }, 10_000).unref();
          running.close().then(
            () => {
              resolve();
              process.exit(0);
            },
            (err: unknown) => {
              running.logger.error({ error: err instanceof Error ? err.message : String(err) }, 'lairmind: shutdown failed');
              resolve();
              process.exit(1);
            },
          );
        };
        const onInt = (): void => stop('SIGINT');
        const onTerm = (): void => stop('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
      });
    });
}
