import type { CostGrid } from './grid.ts';
import { AStarSearch } from './astar.ts';
import type { AStarOptions, PathResult } from './astar.ts';
import { FlowFieldBuild } from './flowField.ts';
import type { FlowField } from './flowField.ts';
import type { Tile, TileRect } from './grid.ts';

/** Settings of a {@link PathBudget}. */
export interface PathBudgetOptions {
  /** Most search nodes expanded per tick, over all requests (≥ 1). */
  readonly expansionsPerTick: number;
  /** Defaults for every path request (maxNodes bounds one request over all ticks). */
  readonly astar?: AStarOptions;
}

/** A finished request, as returned by {@link PathBudget.tick}. */
export type PathBudgetResult =
  | { readonly id: number; readonly kind: 'path'; readonly result: PathResult; readonly ticks: number }
  | { readonly id: number; readonly kind: 'flow'; readonly field: FlowField; readonly ticks: number };

type Job =
  | { id: number; kind: 'path'; from: Tile; to: Tile; opts: AStarOptions; run?: AStarSearch; ticks: number; spent: number }
  | { id: number; kind: 'flow'; target: Tile; bounds: TileRect; run?: FlowFieldBuild; ticks: number; spent: number };

/**
 * A {@link PathBudget}'s queue as plain data: each unfinished request and the nodes its search has expanded so
 * far. A search is a deterministic function of its request and the number of nodes expanded, so it is saved
 * as that number and rebuilt by expanding as many again (cheaper to store than its open set, and exact).
 */
export interface SavedPathBudget {
  readonly nextId: number;
  readonly jobs: readonly (
    | { readonly id: number; readonly kind: 'path'; readonly from: Tile; readonly to: Tile; readonly opts: AStarOptions; readonly ticks: number; readonly spent: number }
    | { readonly id: number; readonly kind: 'flow'; readonly target: Tile; readonly bounds: TileRect; readonly ticks: number; readonly spent: number }
  )[];
}

/**
 * Spreads path finding over ticks so a swarm cannot stall one: requests are queued first in, first out,
 * and each {@link tick} expands at most `expansionsPerTick` nodes in total, carrying an unfinished search
 * over to the next tick. Ids are assigned in request order; results come back in completion order (which
 * is request order).
 */
export class PathBudget {
  private readonly queue: Job[] = [];
  private head = 0;
  private nextId = 1;
  /** Nodes expanded in the last tick (≤ expansionsPerTick). */
  lastTickExpansions = 0;

  constructor(private readonly terrain: CostGrid, readonly options: PathBudgetOptions) {
    if (!(options.expansionsPerTick >= 1)) throw new RangeError('PathBudget: expansionsPerTick must be >= 1');
  }

  /** Queue a path search from tile `from` to tile `to`; returns its id. */
  requestPath(from: Tile, to: Tile, opts: AStarOptions = {}): number {
    const id = this.nextId++;
    this.queue.push({ id, kind: 'path', from, to, opts: { ...this.options.astar, ...opts }, ticks: 0, spent: 0 });
    return id;
  }

  /** Queue a flow field toward `target` over `bounds`; returns its id. */
  requestFlowField(target: Tile, bounds: TileRect): number {
    const id = this.nextId++;
    this.queue.push({ id, kind: 'flow', target, bounds, ticks: 0, spent: 0 });
    return id;
  }

  /** Drop a queued or running request; true if it was pending. */
  cancel(id: number): boolean {
    for (let i = this.head; i < this.queue.length; i++) {
      if ((this.queue[i] as Job).id === id) {
        this.queue.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Requests not finished yet. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** The unfinished requests as plain data (see {@link SavedPathBudget}). */
  save(): SavedPathBudget {
    const jobs: SavedPathBudget['jobs'][number][] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const j = this.queue[i] as Job;
      jobs.push(j.kind === 'path'
        ? { id: j.id, kind: 'path', from: { ...j.from }, to: { ...j.to }, opts: { ...j.opts }, ticks: j.ticks, spent: j.spent }
        : { id: j.id, kind: 'flow', target: { ...j.target }, bounds: { ...j.bounds }, ticks: j.ticks, spent: j.spent });
    }
    return { nextId: this.nextId, jobs };
  }

  /** Replace the queue with saved requests, re-expanding each started search to where it was. */
  restore(saved: SavedPathBudget): void {
    this.queue.length = 0;
    this.head = 0;
    this.nextId = saved.nextId;
    for (const j of saved.jobs) {
      const job: Job = j.kind === 'path'
        ? { id: j.id, kind: 'path', from: { ...j.from }, to: { ...j.to }, opts: { ...j.opts }, ticks: j.ticks, spent: 0 }
        : { id: j.id, kind: 'flow', target: { ...j.target }, bounds: { ...j.bounds }, ticks: j.ticks, spent: 0 };
      if (j.spent > 0 && job.kind === 'path') {
        job.run = new AStarSearch(this.terrain, job.from, job.to, job.opts);
        job.spent = job.run.step(j.spent);
      } else if (j.spent > 0 && job.kind === 'flow') {
        job.run = new FlowFieldBuild(this.terrain, job.target, job.bounds);
        job.spent = job.run.step(j.spent);
      }
      this.queue.push(job);
    }
  }

  /** Work on the queue for one tick within the budget; returns the requests finished in this tick. */
  tick(): PathBudgetResult[] {
    const done: PathBudgetResult[] = [];
    let left = this.options.expansionsPerTick;
    const touched = new Set<Job>();
    while (this.head < this.queue.length && left > 0) {
      const job = this.queue[this.head] as Job;
      if (!touched.has(job)) { touched.add(job); job.ticks++; }
      if (job.kind === 'path') {
        job.run ??= new AStarSearch(this.terrain, job.from, job.to, job.opts);
        const used = job.run.step(left);
        job.spent += used;
        left -= used;
        if (job.run.done) done.push({ id: job.id, kind: 'path', result: job.run.result, ticks: job.ticks });
      } else {
        job.run ??= new FlowFieldBuild(this.terrain, job.target, job.bounds);
        const used = job.run.step(left);
        job.spent += used;
        left -= used;
        if (job.run.done) done.push({ id: job.id, kind: 'flow', field: job.run.field, ticks: job.ticks });
      }
      if (job.run.done) this.head++;
    }
    this.lastTickExpansions = this.options.expansionsPerTick - left;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return done;
  }
}
