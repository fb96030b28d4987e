import type { Scenario } from '../../actors/index.ts';
import { gatewaySetup, LlmGateway, loadLairmindConfig } from '../../llm/index.ts';
import type { GatewaySetup } from '../../llm/index.ts';

/**
 * The gateway of `scenario run --llm`: built from the same configuration file and environment as the server
 * (`LAIRMIND_CONFIG`, else ./lairmind.config.yaml, else the embedded default; keys and base URLs from the
 * environment), restricted to the scenario's `llm.providers` when it names them (`local` alone: the tactician only).
 */
export function scenarioGateway(scenario: Scenario, env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): { llm: LlmGateway; setup: GatewaySetup } {
  const wanted = scenario.llm.providers;
  const setup = gatewaySetup(loadLairmindConfig(env, cwd), env, wanted ? { onlyProviders: wanted.filter((p) => p !== 'local') } : {});
  return { llm: new LlmGateway(setup.options), setup };
}

/** The gateway of an offline run: no network, the local handler (the tactician) answers every call. */
export function offlineGateway(): LlmGateway {
  return new LlmGateway({ providers: {} });
}
