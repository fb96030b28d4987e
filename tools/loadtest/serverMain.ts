// The game server as a child process of a load test (same settings and shutdown as `lairmind serve`:
// environment variables; SIGTERM closes it). Kept apart from the CLI so a load test depends on the server alone.
import { exitOnSignals, loadConfig, startServer } from '../../server/index.ts';

exitOnSignals(await startServer(loadConfig(process.env)));
