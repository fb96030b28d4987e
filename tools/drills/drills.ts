import { floodGarbage, floodInvalid, floodPing, floodUnknown, floodValid, matchmakingFlood, oversizedMessage, slowReader } from './clientDrills.ts';
import type { Drill } from './drill.ts';
import { abortedRequests, oversizedBodies, slowloris } from './httpDrills.ts';
import { redisOutage, sigtermEmbedded, sigtermRedisDown } from './redisDrills.ts';

/** Every drill, in the order they run. */
export const ALL_DRILLS: readonly Drill[] = [
  abortedRequests,
  slowloris,
  oversizedBodies,
  oversizedMessage,
  slowReader,
  floodValid,
  floodInvalid,
  floodUnknown,
  floodPing,
  floodGarbage,
  matchmakingFlood,
  redisOutage,
  sigtermEmbedded,
  sigtermRedisDown,
];
