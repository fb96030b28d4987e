import { Rng } from '../shared/index.ts';

/** A baseline world of monsters, stepped by the bench (which times each tick). */
export interface Baseline {
  /** Advance one step of 1/20 s. */
  tick(): void;
  /** Monsters killed so far (it did fight). */
  deaths(): number;
}

/** Marks a grid cell holding bodies of both factions (factions are 0 and 1). */
const MIXED = 255;

/**
 * The yardstick for the actor runtime's overhead: the monster behaviours of actors/behaviours/monster.ts with the
 * demo spawns' params (wander or rest, notice the nearest foe, chase, attack with a cooldown, flee when hurt, die,
 * respawn at home) as one loop over plain typed arrays, with no actors, mailboxes, messages, effects, state objects
 * or supervision.
 *
 * It gets the same algorithmic help as the runtime (actors/step.ts, actors/spatialHash.ts, the monster behaviour),
 * so that runtime ÷ baseline is the runtime's own cost:
 * - one counting-sort grid of 8-unit cells per tick (the world's cellSize), built into arrays kept between ticks;
 * - each cell records the faction of its bodies, or mixed, and a search for foes passes over cells holding only
 *   its own faction unread (SpatialHash.nearest with `foes`);
 * - within a cell a body is rejected by distance before anything else is read, ties go to the lower index;
 * - directions are normalised with `Math.sqrt`, not `Math.hypot`;
 * - no allocation per tick: no closure, no typed-array copy;
 * - a moving body updates its heading, as the runtime's integration does.
 * What it leaves out is the runtime's: message delivery and effects, state objects, the changed-body list, terrain
 * behind an interface (here the flat ground's bounds are checked inline) and timers (a dead body checks its own
 * respawn time). It keeps one random stream for all monsters where the runtime forks one per actor.
 */
export function createBaseline(n: number, side: number): Baseline {
  const dt = 1 / 20;
  const perception = 6, leash = 1.5, attackRange = 0.6, damage = 12, cooldown = 1, fleeBelow = 0.25, respawnDelay = 8;
  const wanderSpeed = 0.4, homeRadius = 24, radius = 0.4, speed = 3, maxHp = 60, restChance = 0.6;
  const rng = Rng.create('bench').fork('baseline');
  const x = new Float64Array(n), y = new Float64Array(n), vx = new Float64Array(n), vy = new Float64Array(n), heading = new Float64Array(n);
  const hx = new Float64Array(n), hy = new Float64Array(n), hp = new Float64Array(n);
  const faction = new Uint8Array(n), alive = new Uint8Array(n).fill(1), mode = new Uint8Array(n);
  const target = new Int32Array(n).fill(-1), nextAttack = new Float64Array(n), nextTurn = new Float64Array(n), respawnAt = new Float64Array(n);
  const hitBy = new Int32Array(n).fill(-1);
  const resting = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = hx[i] = rng.float(1, side - 1);
    y[i] = hy[i] = rng.float(1, side - 1);
    faction[i] = i % 2;
    hp[i] = maxHp;
  }
  const cell = 8;
  const cols = Math.ceil(side / cell) + 1;
  const cells = cols * cols;
  const cellStart = new Int32Array(cells + 1);
  const cellFill = new Int32Array(cells);
  const cellFaction = new Uint8Array(cells);
  const cellItems = new Int32Array(n);
  const cellOf = new Int32Array(n);
  const reach = attackRange + 2 * radius;
  const leashD2 = perception * leash * perception * leash;
  let time = 0;
  let deaths = 0;

  function buildGrid(): void {
    cellStart.fill(0);
    for (let i = 0; i < n; i++) {
      const c = alive[i] ? Math.floor(y[i]! / cell) * cols + Math.floor(x[i]! / cell) : -1;
      cellOf[i] = c;
      if (c >= 0) cellStart[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
    cellFill.set(cellStart.subarray(0, cells));
    for (let i = 0; i < n; i++) {
      const c = cellOf[i]!;
      if (c < 0) continue;
      const at = cellFill[c]!++;
      cellItems[at] = i;
      if (at === cellStart[c]) cellFaction[c] = faction[i]!;
      else if (cellFaction[c] !== faction[i]) cellFaction[c] = MIXED;
    }
  }

  function nearestHostile(i: number): number {
    const xi = x[i]!, yi = y[i]!, own = faction[i]!;
    let best = -1, bestD2 = perception * perception;
    const cx0 = Math.max(0, Math.floor((xi - perception) / cell)), cx1 = Math.min(cols - 1, Math.floor((xi + perception) / cell));
    const cy0 = Math.max(0, Math.floor((yi - perception) / cell)), cy1 = Math.min(cols - 1, Math.floor((yi + perception) / cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * cols + cx;
        if (cellFaction[c] === own) continue;
        const end = cellStart[c + 1]!;
        for (let k = cellStart[c]!; k < end; k++) {
          const j = cellItems[k]!;
          const dx = x[j]! - xi, dy = y[j]! - yi;
          const d2 = dx * dx + dy * dy;
          if (d2 > bestD2) continue;
          if (!alive[j] || faction[j] === own || (d2 === bestD2 && best >= 0 && j > best)) continue;
          best = j;
          bestD2 = d2;
        }
      }
    }
    return best;
  }

  function tick(): void {
    time += dt;
    buildGrid();
    for (let i = 0; i < n; i++) {
      if (!alive[i]) {
        if (time >= respawnAt[i]!) { alive[i] = 1; hp[i] = maxHp; x[i] = hx[i]!; y[i] = hy[i]!; vx[i] = vy[i] = 0; mode[i] = 0; target[i] = -1; }
        continue;
      }
      if (hitBy[i]! >= 0 && target[i]! < 0) target[i] = hitBy[i]!;
      hitBy[i] = -1;
      const threat = nearestHostile(i);
      if (threat >= 0 && hp[i]! < fleeBelow * maxHp) {
        const dx = x[i]! - x[threat]!, dy = y[i]! - y[threat]!, d = Math.sqrt(dx * dx + dy * dy) || 1;
        vx[i] = (dx / d) * speed; vy[i] = (dy / d) * speed; mode[i] = 3; target[i] = -1; resting[i] = 0;
        continue;
      }
      let t = -1;
      if (target[i]! >= 0) {
        const j = target[i]!;
        const dx = x[j]! - x[i]!, dy = y[j]! - y[i]!;
        if (alive[j] && dx * dx + dy * dy <= leashD2) t = j;
      }
      if (t < 0) t = threat;
      if (t >= 0) {
        const dx = x[t]! - x[i]!, dy = y[t]! - y[i]!, d = Math.sqrt(dx * dx + dy * dy);
        target[i] = t;
        resting[i] = 0;
        if (d <= reach) {
          vx[i] = vy[i] = 0; mode[i] = 2;
          if (time >= nextAttack[i]!) {
            nextAttack[i] = time + cooldown;
            hp[t] = Math.max(0, hp[t]! - damage);
            hitBy[t] = i;
            if (hp[t] === 0) { deaths++; alive[t] = 0; vx[t] = vy[t] = 0; respawnAt[t] = time + respawnDelay; }
          }
        } else {
          const s = speed / (d || 1);
          vx[i] = dx * s; vy[i] = dy * s; mode[i] = 1;
        }
        continue;
      }
      if (time < nextTurn[i]! && mode[i] === 0 && (resting[i] || vx[i] !== 0 || vy[i] !== 0)) continue;
      if (mode[i] === 0 && !resting[i] && rng.chance(restChance)) {
        resting[i] = 1; vx[i] = vy[i] = 0; target[i] = -1; nextTurn[i] = time + rng.float(3, 10);
        continue;
      }
      resting[i] = 0;
      const ox = hx[i]! - x[i]!, oy = hy[i]! - y[i]!;
      const a = ox * ox + oy * oy > homeRadius * homeRadius ? Math.atan2(oy, ox) + rng.float(-0.5, 0.5) : rng.float(0, 2 * Math.PI);
      vx[i] = Math.cos(a) * speed * wanderSpeed; vy[i] = Math.sin(a) * speed * wanderSpeed; mode[i] = 0; target[i] = -1;
      nextTurn[i] = time + rng.float(1, 4);
    }
    for (let i = 0; i < n; i++) {
      if (!alive[i] || (vx[i] === 0 && vy[i] === 0)) continue;
      const nx = x[i]! + vx[i]! * dt, ny = y[i]! + vy[i]! * dt;
      const inX = nx >= 0 && nx < side, inY = ny >= 0 && ny < side;
      if (inX && inY) { x[i] = nx; y[i] = ny; }
      else if (inX) { x[i] = nx; vy[i] = 0; }
      else if (inY) { y[i] = ny; vx[i] = 0; }
      else { vx[i] = vy[i] = 0; continue; }
      heading[i] = Math.atan2(vy[i]!, vx[i]!);
    }
  }

  return { tick, deaths: () => deaths };
}
