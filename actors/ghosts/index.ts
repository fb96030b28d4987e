// Ghosts: the read-only margin of neighbouring zones' actors, seen here but owned and stepped there.
export { ghostProblem } from './ghostBody.ts';
export type { GhostBody } from './ghostBody.ts';
export { GhostSet } from './ghostSet.ts';
export type { Ghost } from './ghostSet.ts';
export { ghostInputs, ghostOf, ghostsWithin } from './ghostsWithin.ts';
