import { Rng } from '../shared/index.ts';
import type { Baseline } from './actorsBaseline.ts';

/**
 * The first yardstick of bench:actors, kept as it was to show what the fair one (actorsBaseline.ts) changed: the
 * same monster behaviours as one loop over plain typed arrays, but without the runtime's algorithmic help. Every
 * hostile search reads every body of every cell in range (the runtime passes over cells holding only its own
 * faction, and rejects by distance first), directions use `Math.hypot` (the runtime `Math.sqrt`), and each tick
 * allocates a typed array (`slice`) and a closure per moving body. Ratios against it overstated the runtime's
 * overhead; it is reported as `overhead_ratio_unfair`.
 */
export function createUnfairBaseline(n: number, side: number): Baseline {
  const dt = 1 / 20;
  const perception = 6, leash = 1.5, attackRange = 0.6, damage = 12, cooldown = 1, fleeBelow = 0.25, respawnDelay = 8;
  const wanderSpeed = 0.4, homeRadius = 24, radius = 0.4, speed = 3, maxHp = 60, restChance = 0.6;
  const rng = Rng.create('bench').fork('baseline');
  const x = new Float64Array(n), y = new Float64Array(n), vx = new Float64Array(n), vy = new Float64Array(n);
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
  const cellStart = new Int32Array(cols * cols + 1);
  const cellItems = new Int32Array(n);
  const cellOf = new Int32Array(n);
  let time = 0;
  let deaths = 0;

  function buildGrid(): void {
    cellStart.fill(0);
    for (let i = 0; i < n; i++) {
      const c = alive[i] ? Math.floor(y[i]! / cell) * cols + Math.floor(x[i]! / cell) : -1;
      cellOf[i] = c;
      if (c >= 0) cellStart[c + 1]!++;
    }
    for (let c = 0; c < cols * cols; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, cols * cols);
    for (let i = 0; i < n; i++) if (cellOf[i]! >= 0) cellItems[fill[cellOf[i]!]!++] = i;
  }

  function nearestHostile(i: number): number {
    let best = -1, bestD2 = perception * perception;
    const cx0 = Math.max(0, Math.floor((x[i]! - perception) / cell)), cx1 = Math.min(cols - 1, Math.floor((x[i]! + perception) / cell));
    const cy0 = Math.max(0, Math.floor((y[i]! - perception) / cell)), cy1 = Math.min(cols - 1, Math.floor((y[i]! + perception) / cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * cols + cx;
        for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
          const j = cellItems[k]!;
          if (j === i || !alive[j] || faction[j] === faction[i]) continue;
          const d2 = (x[j]! - x[i]!) ** 2 + (y[j]! - y[i]!) ** 2;
          if (d2 < bestD2 || (d2 === bestD2 && j < best)) { best = j; bestD2 = d2; }
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
        const dx = x[i]! - x[threat]!, dy = y[i]! - y[threat]!, d = Math.hypot(dx, dy) || 1;
        vx[i] = (dx / d) * speed; vy[i] = (dy / d) * speed; mode[i] = 3; target[i] = -1; resting[i] = 0;
        continue;
      }
      let t = -1;
      if (target[i]! >= 0) {
        const j = target[i]!, l = perception * leash;
        if (alive[j] && (x[j]! - x[i]!) ** 2 + (y[j]! - y[i]!) ** 2 <= l * l) t = j;
      }
      if (t < 0) t = threat;
      if (t >= 0) {
        const dx = x[t]! - x[i]!, dy = y[t]! - y[i]!, d = Math.hypot(dx, dy);
        target[i] = t;
        resting[i] = 0;
        if (d <= attackRange + 2 * radius) {
          vx[i] = vy[i] = 0; mode[i] = 2;
          if (time >= nextAttack[i]!) {
            nextAttack[i] = time + cooldown;
            hp[t] = Math.max(0, hp[t]! - damage);
            hitBy[t] = i;
            if (hp[t] === 0) { deaths++; alive[t] = 0; vx[t] = vy[t] = 0; respawnAt[t] = time + respawnDelay; }
          }
        } else {
          vx[i] = (dx / (d || 1)) * speed; vy[i] = (dy / (d || 1)) * speed; mode[i] = 1;
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
      const inside = (px: number, py: number): boolean => px >= 0 && py >= 0 && px < side && py < side;
      if (inside(nx, ny)) { x[i] = nx; y[i] = ny; }
      else if (inside(nx, y[i]!)) { x[i] = nx; vy[i] = 0; }
      else if (inside(x[i]!, ny)) { y[i] = ny; vx[i] = 0; }
      else { vx[i] = vy[i] = 0; }
    }
  }

  return { tick, deaths: () => deaths };
}
