// The gateway's configuration file (lairmind.config.yaml): schema, loader, JSON Schema, and GatewayOptions from it.
export { LairmindConfigSchema, PROVIDER_KINDS, knownProviders } from './lairmindConfigSchema.ts';
export type { LairmindConfig, LairmindConfigInput, ProviderEntry } from './lairmindConfigSchema.ts';
export { CONFIG_ENV, CONFIG_FILE, EMBEDDED_DEFAULT, MAX_CONFIG_BYTES, checkConfigFile, checkConfigText, checkConfigValue, configPath, defaultConfig, loadLairmindConfig, readLairmindConfig } from './loadLairmindConfig.ts';
export type { ConfigCheck, LoadedConfig } from './loadLairmindConfig.ts';
export { ALERT_WEBHOOK_ENV, baseUrlEnvOf, gatewaySetup, keyEnvOf, redactedUrl } from './gatewaySetup.ts';
export type { GatewaySetup, GatewaySetupOptions, ProviderStatus } from './gatewaySetup.ts';
export { CONFIG_SCHEMA_FILE, configJsonSchema } from './configJsonSchema.ts';
export { editConfigText } from './configEdit.ts';
export type { ConfigChange, ConfigEdit } from './configEdit.ts';
