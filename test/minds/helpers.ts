import type { MindRequest, Perception, Traits } from '../../actors/index.ts';
import { MindService } from '../../minds/index.ts';
import type { MindServiceOptions } from '../../minds/index.ts';

export const TRAITS: Traits = { aggression: 0.5, courage: 0.5, sociability: 0.5, greed: 0.5, curiosity: 0.5, cunning: 0.5 };
export const PERCEPTION: Perception = {
  threatDist: 6, threatBearing: 0.3, allyDist: 4, allyBearing: -1, health: 0.8, targetHealth: 0.7, packNearby: 1, terrainCost: 1, cover: 0.1, sinceHit: 30, order: 'none',
};

/** A service whose log lines are collected instead of printed. */
export async function quietService(o: MindServiceOptions = {}): Promise<{ service: MindService; logs: string[] }> {
  const logs: string[] = [];
  const service = await MindService.create({ ...o, logger: (l) => logs.push(l) });
  return { service, logs };
}

export const req = (requestId: number, port: string, payload: unknown): MindRequest => ({ requestId, actor: requestId + 1, port, payload, deadline: 1e9 });

export const FENRIK = {
  name: 'Fenrik',
  role: 'the old wolf of the Grey Hollow',
  species: 'wolf',
  mood: 'wary',
  knows: ['my lair is the Grey Hollow, north of the river', 'the ford lies east, past the broken mill'],
};
