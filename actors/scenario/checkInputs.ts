import type { Issue } from '../../shared/index.ts';
import type { BehaviourRegistry } from '../behaviour.ts';
import type { WorldInput } from '../inputs.ts';
import { SpawnSpecSchema } from '../spawnSpec.ts';
import type { SpawnSpec } from '../spawnSpec.ts';

/**
 * Everything that would make these spawn inputs (and the spawn specs inside a director's triggers) be refused by
 * the world: the spec shape, unknown behaviours, and each behaviour's own params. Checking first lets a caller apply
 * all of them or none.
 */
export function inputIssues(registry: BehaviourRegistry, inputs: readonly WorldInput[]): Issue[] {
  const issues: Issue[] = [];
  inputs.forEach((input, i) => {
    if (input.type !== 'spawn') return;
    specIssues(registry, input.spec, ['inputs', i, 'spec'], issues);
    const triggers = (input.spec.params as { triggers?: { do?: { spawn?: SpawnSpec[] }[] }[] } | undefined)?.triggers;
    if (input.spec.behaviour === 'director' && Array.isArray(triggers)) {
      triggers.forEach((t, ti) => t.do?.forEach((a, ai) => a.spawn?.forEach((spec, si) => specIssues(registry, spec, ['inputs', i, 'spec', 'params', 'triggers', ti, 'do', ai, 'spawn', si], issues))));
    }
  });
  return issues;
}

function specIssues(registry: BehaviourRegistry, spec: SpawnSpec, path: PropertyKey[], out: Issue[]): void {
  const r = SpawnSpecSchema.safeParse(spec);
  if (!r.success) {
    for (const i of r.error.issues) out.push({ path: [...path, ...i.path], message: i.message });
    return;
  }
  const b = registry.get(r.data.behaviour);
  if (!b) {
    out.push({ path: [...path, 'behaviour'], message: `unknown behaviour '${r.data.behaviour}'` });
    return;
  }
  const p = b.params?.safeParse(r.data.params ?? {});
  if (p && !p.success) for (const i of p.error.issues) out.push({ path: [...path, 'params', ...i.path], message: i.message });
}
