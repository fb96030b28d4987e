// The game server as a child process of a load test (same settings and shutdown as `lairmind serve`:
// environment variables; SIGTERM closes it). Kept apart from the CLI so a load test depends on the server alone.
import { exitOnSignals, loadConfig, startServer } from '../../server/index.ts';

try {
  exitOnSignals(await startServer(loadConfig(process.env)));
} catch (err) {
  // One line with the reason (a bad setting or config file names its field), as `lairmind serve` prints it.
  console.error(`lairmind: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
