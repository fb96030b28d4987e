import { ValidationError } from '../../shared/index.ts';
import type { BotBehaviourName } from './behaviour.ts';
import { BOT_BEHAVIOUR_NAMES, isBotBehaviourName } from './behaviours.ts';

/** Shares of each behaviour in a bot population (weights; any positive scale). */
export type BotMix = Readonly<Partial<Record<BotBehaviourName, number>>>;

/**
 * Parse a mix such as `fighter:50,wanderer:40,talker:10` (weights, need not add up to 100). The error names
 * the bad part.
 */
export function parseMix(text: string): BotMix {
  const out: Partial<Record<BotBehaviourName, number>> = {};
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name = '', weight = '', ...rest] = part.split(':');
    if (!isBotBehaviourName(name)) issues.push({ path: [name || part], message: `unknown behaviour; expected one of ${BOT_BEHAVIOUR_NAMES.join(', ')}` });
    else if (rest.length || !/^\d+(\.\d+)?$/.test(weight)) issues.push({ path: [name], message: `weight must be a non-negative number (name:weight), got '${part}'` });
    else if (name in out) issues.push({ path: [name], message: 'given twice' });
    else out[name] = Number(weight);
  }
  if (!issues.length && !Object.values(out).some((w) => w > 0)) issues.push({ path: [], message: 'at least one behaviour needs a positive weight' });
  if (issues.length) throw new ValidationError('--mix', issues);
  return out;
}

/**
 * The behaviour of each of `n` bots: shares follow the weights (largest remainder) and are interleaved, so the
 * first bots of a ramp already have the mix.
 */
export function assignBehaviours(mix: BotMix, n: number): BotBehaviourName[] {
  const entries = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as [BotBehaviourName, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const given = new Map<BotBehaviourName, number>(entries.map(([k]) => [k, 0]));
  const out: BotBehaviourName[] = [];
  for (let i = 0; i < n; i++) {
    // Smooth weighted round robin: the behaviour furthest below its share goes next (ties by mix order).
    let best = entries[0]![0];
    let bestLag = -Infinity;
    for (const [name, w] of entries) {
      const lag = ((i + 1) * w) / total - (given.get(name) ?? 0);
      if (lag > bestLag + 1e-12) {
        best = name;
        bestLag = lag;
      }
    }
    given.set(best, (given.get(best) ?? 0) + 1);
    out.push(best);
  }
  return out;
}
