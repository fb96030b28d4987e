import { matchMaker } from '@colyseus/core';
import { matchmakingUnavailable } from './redisCalls.ts';
import type { RedisWatch } from './redisWatch.ts';

/**
 * Refuse matchmaking requests (join, create, joinById, reconnect) at once while Redis is not up, and fail
 * those in flight the moment it goes down, with the "matchmaking unavailable" error (HTTP 503, the SDK's
 * `MatchMakeError` code) rather than letting them wait on Redis or surface a raw connection error.
 * Wraps `matchMaker.controller.invokeMethod`, Colyseus' entry point for the `/matchmake` route; returns
 * the function that puts the original back.
 */
export function guardMatchmaking(watch: RedisWatch): () => void {
  const controller = matchMaker.controller;
  const original = controller.invokeMethod;
  controller.invokeMethod = async function guarded(this: typeof controller, ...args: Parameters<typeof original>) {
    if (!watch.up) throw matchmakingUnavailable();
    let stop: () => void = () => undefined;
    const outage = new Promise<never>((_, reject) => {
      stop = watch.onDown(() => reject(matchmakingUnavailable()));
    });
    try {
      return await Promise.race([original.apply(this, args), outage]);
    } catch (err) {
      if (!watch.up) throw matchmakingUnavailable(err); // it failed because Redis went away meanwhile
      throw err;
    } finally {
      stop();
    }
  };
  return () => {
    controller.invokeMethod = original;
  };
}
