import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rules that keep the import arrows and the simulation's purity, checked against code that breaks them.
const eslint = new ESLint();

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('architecture lint', () => {
  it('refuses an import against the arrows', async () => {
    const msgs = await ruleIds('procgen/bad.ts', "import { step } from '../actors/index.ts';\nexport const x = step;\n");
    expect(msgs.join('\n')).toMatch(/procgen\/ may import only from/);
    const fromLlm = await ruleIds('llm/bad.ts', "import { step } from '../actors/index.ts';\nexport const x = step;\n");
    expect(fromLlm.join('\n')).toMatch(/llm\/ may import only from/);
  });

  it('refuses deep imports across folders at any depth, and allows index imports', async () => {
    expect((await ruleIds('actors/bad.ts', "import { Rng } from '../shared/rng.ts';\nexport const x = Rng;\n")).join('\n')).toMatch(/through its index\.ts/);
    expect((await ruleIds('actors/pathing/bad.ts', "import { Rng } from '../../shared/rng.ts';\nexport const x = Rng;\n")).join('\n')).toMatch(/through its index\.ts/);
    expect(await ruleIds('actors/pathing/ok.ts', "import { Rng } from '../../shared/index.ts';\nexport const x = Rng;\n")).toEqual([]);
  });

  it('lets minds/ import only types from actors/', async () => {
    expect(await ruleIds('minds/ok.ts', "import type { World } from '../actors/index.ts';\nexport type X = World;\n")).toEqual([]);
    expect((await ruleIds('minds/bad.ts', "import { step } from '../actors/index.ts';\nexport const x = step;\n")).join('\n')).toMatch(/only types from actors/);
  });

  it('keeps frameworks and the file system out of the simulation', async () => {
    expect((await ruleIds('actors/bad.ts', "import { Room } from 'colyseus';\nexport const x = Room;\n")).join('\n')).toMatch(/pure simulation code/);
    expect((await ruleIds('shared/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).join('\n')).toMatch(/pure simulation code/);
    expect((await ruleIds('actors/bad.ts', "import { trace } from '@opentelemetry/api';\nexport const x = trace;\n")).join('\n')).toMatch(/pure simulation code/);
    expect(await ruleIds('rooms/ok.ts', "import { trace } from '@opentelemetry/api';\nexport const x = trace;\n")).toEqual([]);
  });

  it('refuses wall-clock time and unseeded randomness in shared/, procgen/ and actors/', async () => {
    const code = 'export const a = Math.random();\nexport const b = Date.now();\nsetTimeout(() => {}, 1);\nexport const c = performance.now();\n';
    const msgs = await ruleIds('actors/bad.ts', code);
    expect(msgs.filter((m) => m.startsWith('no-restricted-syntax'))).toHaveLength(4);
    expect(await ruleIds('server/ok.ts', 'export const a = Date.now();\n')).toEqual([]);
  });
});
