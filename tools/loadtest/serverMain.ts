// The game server as a child process of a load test (same settings as `lairmind serve`: environment variables).
// Kept apart from the CLI so a load test depends on the server alone. SIGTERM closes it.
import { loadConfig, startServer } from '../../server/index.ts';

const running = await startServer(loadConfig(process.env));
const stop = (): void => {
  setTimeout(() => process.exit(1), 10_000).unref();
  running.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
