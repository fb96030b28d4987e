// Path finding over any TerrainQuery: A* for single actors, flow fields for packs, a per-tick budget.
export { AStarSearch, findPath } from './astar.ts';
export type { AStarOptions, PathResult } from './astar.ts';
export { FlowField, FlowFieldBuild, buildFlowField } from './flowField.ts';
export { PathBudget } from './pathBudget.ts';
export type { PathBudgetOptions, PathBudgetResult, SavedPathBudget } from './pathBudget.ts';
export { octile } from './grid.ts';
export type { CostGrid, Tile, TileRect } from './grid.ts';
