export { startServer } from './createServer.ts';
export type { RunningServer, HealthReport, StartOptions } from './createServer.ts';
export { loadConfig, redactUrl, ServerConfigSchema } from './config.ts';
export type { ServerConfig } from './config.ts';
export { createLogger } from './logger.ts';
export { ServerMetrics } from './metrics.ts';
export { hasAdminToken } from './adminAuth.ts';
export { ScenarioLibrary, ScenarioNotFoundError, checkScenarioFile, loadScenarioFile, parseScenarioText, DEFAULT_SCENARIOS_DIR } from './scenarioFiles.ts';
export type { ScenarioFileCheck } from './scenarioFiles.ts';
