import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkConfigFile, CONFIG_ENV, CONFIG_FILE, CONFIG_SCHEMA_FILE, configJsonSchema, configPath, defaultConfig, gatewaySetup, redactedUrl } from '../../llm/index.ts';
import type { LoadedConfig } from '../../llm/index.ts';
import { issueListing } from '../issueListing.ts';

/** A short account of what a valid configuration sets up with this environment (never keys or webhook paths). */
export function configSummary(loaded: LoadedConfig, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const c = loaded.config;
  const setup = gatewaySetup(loaded, env);
  const providers = setup.providers.map((p) => {
    if (p.status === 'on') return `${p.name} (on, key from ${p.keyEnv.find((v) => env[v]?.trim()) ?? p.keyEnv[0]}${p.baseUrlFrom ? `, base URL from ${p.baseUrlFrom}` : ''})`;
    if (p.status === 'no key') return `${p.name} (no key: set ${p.keyEnv.join(' or ')})`;
    return `${p.name} (${p.status})`;
  });
  const models = loaded.registry.models;
  const r = c.routing;
  const tiers = c.tiers ? Object.keys(c.tiers) : ['free', 'premium', 'whale'];
  const b = c.budgets ?? {};
  const scopes = [
    ...(['call', 'room', 'player', 'tenant'] as const).filter((k) => b[k]),
    ...(b.deployment?.daily ? ['deployment.daily'] : []),
    ...(b.deployment?.monthly ? ['deployment.monthly'] : []),
  ];
  return [
    `  providers: ${providers.join(', ') || 'none'}; local always`,
    `  models: ${models.filter((m) => m.enabled).length} enabled of ${models.length} (${loaded.registrySource === 'inline' ? 'models.entries' : loaded.registrySource})`,
    `  routing: ${r?.strategy ?? 'balanced'}${r?.pinned ? ` (pinned ${r.pinned})` : ''}, ${r?.maxFallbacks ?? 2} fallbacks then local`,
    `  tiers: ${tiers.join(', ')}${c.tiers ? '' : ' (built in)'}; default tier: ${c.defaultTier ?? 'none (calls name their tier)'}`,
    `  budgets: ${scopes.join(', ') || 'none beyond the tiers\''}${b.alertFractions ? `; alerts at ${b.alertFractions.join(', ')} of a cost limit` : ''}`,
    `  cache: ${c.cache?.enabled === false ? 'off' : `on, ${c.cache?.maxEntries ?? 10_000} entries in memory`}`,
    `  alerts: log${setup.alertWebhookUrl ? ` and webhook ${redactedUrl(setup.alertWebhookUrl)}` : ''}`,
  ];
}

/** Register `lairmind config check | schema`. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description(`The LLM gateway's configuration file (${CONFIG_FILE}, or the file ${CONFIG_ENV} names)`);

  config
    .command('check')
    .description(`validate a config file (default: $${CONFIG_ENV}, else ./${CONFIG_FILE}, else the embedded default); lists every error with its path; exit status 1 if invalid`)
    .argument('[file]', 'config file')
    .action((file: string | undefined) => {
      const path = file ?? configPath();
      if (path === undefined) {
        console.log(`no config file ($${CONFIG_ENV} unset, no ./${CONFIG_FILE}): the embedded default is used`);
        for (const line of configSummary(defaultConfig())) console.log(line);
        return;
      }
      const r = checkConfigFile(path);
      if (!r.ok) {
        console.error(issueListing(path, r.issues));
        process.exitCode = 1;
        return;
      }
      console.log(`${path}: ok`);
      for (const line of configSummary(r.loaded)) console.log(line);
    });

  config
    .command('schema')
    .description(`write the JSON Schema of the config file for editors (default ${CONFIG_SCHEMA_FILE})`)
    .option('--out <file>', 'output file', CONFIG_SCHEMA_FILE)
    .action((o: { out: string }) => {
      writeFileSync(o.out, configJsonSchema());
      console.log(`wrote ${o.out}`);
    });
}
