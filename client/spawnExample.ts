/**
 * The spawn box's example: a real scenario the admin API accepts as it is (see actors/scenario/scenarioSchema.ts),
 * placed relative to where the designer's camera looks.
 */
export const SPAWN_EXAMPLE = {
  name: 'three wolves',
  spawns: [{ pack: { id: 'wolves', species: 'wolf', size: 3, at: { x: 4, y: 0 }, spread: 2 } }],
  npcs: [{ name: 'Lute', role: 'bard', at: { x: -3, y: 0 }, wander: 1 }],
} as const;

/** The example as the text the spawn box is filled with. */
export function spawnExampleText(): string {
  return JSON.stringify(SPAWN_EXAMPLE, null, 2);
}
