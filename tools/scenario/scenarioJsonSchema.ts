import { z } from 'zod';
import { ScenarioSchema } from '../../actors/index.ts';

/** Where the editors' JSON Schema lives (relative to the repository root). */
export const SCENARIO_SCHEMA_FILE = 'scenarios/scenario.schema.json';

/**
 * The JSON Schema of scenario files, generated from the zod definition (the input shape: defaults are optional),
 * for editors (`# yaml-language-server: $schema=./scenario.schema.json`, or `"$schema"` in JSON). Cross-field rules
 * (unique ids, pack references) are checked by `lairmind scenario validate` only.
 */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const out = {
    ...schema,
    $id: 'https://lairmind.dev/scenario.schema.json',
    title: 'Lairmind scenario',
    description: 'A designer scenario: world, spawns, NPCs, triggers, LLM settings and end conditions. Positions are in world units relative to the scenario origin.',
  };
  return JSON.stringify(out, null, 2) + '\n';
}
