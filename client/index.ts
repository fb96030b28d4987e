// What the browser client offers other folders (bots and tools): following an avatar from zone to zone.
export { hopZone, readZoneMove, showsOwnAvatar } from './zoneHop.ts';
export type { ZoneMove } from './zoneHop.ts';
