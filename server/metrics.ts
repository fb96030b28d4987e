import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StepReport, World } from '../actors/index.ts';
import type { RoomObserver } from '../rooms/index.ts';
import type { Logger } from './logger.ts';

/**
 * Prometheus metrics of the server (text at `/metrics`), fed by the rooms through {@link RoomObserver}: rooms,
 * clients, tick duration, bytes sent, actors by state, mind queue depth, dropped and refused messages, plus the
 * process's CPU and memory.
 */
export class ServerMetrics implements RoomObserver {
  readonly registry = new Registry();
  private readonly worlds = new Map<string, World>();
  private readonly tick: Histogram;
  /** Time to the first spoken chunk of a streamed NPC reply. */
  readonly dialogueFirstChunk: Histogram;
  private readonly patchTime: Histogram;
  private readonly bytes: Counter;
  private readonly dropped: Counter;
  private readonly refused: Counter;
  private readonly mindRequests: Counter;
  readonly clients: Gauge;
  private readonly slowClients: Counter;

  constructor(private readonly logger?: Logger) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lairmind_' });
    this.tick = new Histogram({
      name: 'lairmind_tick_duration_seconds',
      help: 'Wall time of one simulation step with its projection',
      buckets: [0.0005, 0.001, 0.002, 0.004, 0.008, 0.012, 0.016, 0.025, 0.035, 0.05, 0.075, 0.1, 0.25],
      registers,
    });
    this.patchTime = new Histogram({
      name: 'lairmind_patch_duration_seconds',
      help: 'Wall time to encode and send one round of state patches',
      buckets: [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.035, 0.075, 0.25],
      registers,
    });
    this.bytes = new Counter({ name: 'lairmind_patch_bytes_total', help: 'Bytes sent to clients (state patches and messages)', registers });
    this.dropped = new Counter({ name: 'lairmind_dropped_messages_total', help: 'Messages the simulation dropped, by reason', labelNames: ['reason'], registers });
    this.refused = new Counter({ name: 'lairmind_refused_client_messages_total', help: 'Client messages refused at the room edge, by reason', labelNames: ['reason'], registers });
    this.mindRequests = new Counter({ name: 'lairmind_mind_requests_total', help: 'Mind requests handed out by the simulation, by port (think = layer-3 decisions)', labelNames: ['port'], registers });
    this.clients = new Gauge({ name: 'lairmind_clients', help: 'Connected clients', registers });
    this.slowClients = new Counter({ name: 'lairmind_slow_clients_dropped_total', help: 'Clients dropped because they stopped reading and their send buffer passed its bound', registers });
    this.dialogueFirstChunk = new Histogram({
      name: 'lairmind_dialogue_first_chunk_seconds',
      help: 'Time from a player line reaching the dialogue mind to the first chunk of its streamed reply being spoken',
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5],
      registers,
    });
    const worlds = this.worlds;
    new Gauge({
      name: 'lairmind_rooms',
      help: 'Rooms in this process',
      registers,
      collect() {
        this.set(worlds.size);
      },
    });
    new Gauge({
      name: 'lairmind_actors',
      help: 'Actors by kind and state (monster mode, alive or dead)',
      labelNames: ['kind', 'state'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const w of worlds.values()) {
          for (const a of w.actors.values()) {
            const mode = (a.state as { mode?: unknown } | null)?.mode;
            const state = typeof mode === 'string' ? mode : a.body ? (a.body.alive ? 'alive' : 'dead') : a.status;
            const key = `${a.kind}\u0000${state}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
        }
        for (const [key, n] of counts) {
          const [kind, state] = key.split('\u0000') as [string, string];
          this.set({ kind, state }, n);
        }
      },
    });
    new Gauge({
      name: 'lairmind_mind_queue_depth',
      help: 'Mind requests waiting for an answer',
      registers,
      collect() {
        let n = 0;
        for (const w of worlds.values()) n += w.pending.size;
        this.set(n);
      },
    });
    new Gauge({
      name: 'lairmind_minds_active',
      help: 'Actors by level of detail: awake (layer 3 deciding, a player near), reflex (reflexes only), far (stepped at a reduced rate)',
      labelNames: ['level'],
      registers,
      collect() {
        let awake = 0;
        let reflex = 0;
        let far = 0;
        for (const w of worlds.values()) {
          for (const a of w.actors.values()) {
            if (!a.body || a.kind === 'player') continue;
            if (a.far) far++;
            else if ((a.state as { awake?: unknown } | null)?.awake === true) awake++;
            else reflex++;
          }
        }
        this.set({ level: 'awake' }, awake);
        this.set({ level: 'reflex' }, reflex);
        this.set({ level: 'far' }, far);
      },
    });
  }

  step(roomId: string, world: World, report: StepReport, durationMs: number): void {
    this.worlds.set(roomId, world);
    this.tick.observe(durationMs / 1000);
    for (const p of report.problems) this.dropped.inc({ reason: p.code });
    for (const r of report.requests) this.mindRequests.inc({ port: r.port });
  }

  patch(_roomId: string, durationMs: number): void {
    this.patchTime.observe(durationMs / 1000);
  }

  bytesSent(_roomId: string, bytes: number): void {
    this.bytes.inc(bytes);
  }

  messageRefused(_roomId: string, reason: string): void {
    this.refused.inc({ reason });
  }

  /** A client was dropped for not reading its socket. */
  /** Export the dialogue mind's counters: replies by source, streamed replies replaced by why. */
  watchDialogue(stats: { readonly local: number; readonly streamed: number; readonly cloud: number; readonly replaced: Readonly<Record<string, number | undefined>> }): void {
    new Gauge({
      name: 'lairmind_dialogue_replies',
      help: 'NPC replies since start by how they were answered: local (at once), cloud (streamed and spoken as written), replaced (streamed, then replaced by the local reply)',
      labelNames: ['source'],
      registers: [this.registry],
      collect() {
        this.set({ source: 'local' }, stats.local);
        this.set({ source: 'cloud' }, stats.cloud);
        this.set({ source: 'replaced' }, Object.values(stats.replaced).reduce<number>((a, n) => a + (n ?? 0), 0));
      },
    });
    new Gauge({
      name: 'lairmind_dialogue_replaced',
      help: 'Streamed NPC replies replaced by the local reply since start, by why (provider, budget, rate, numbers, ids, echo, meta, unknown-name, length, empty)',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(stats.replaced)) if (n) this.set({ reason }, n);
      },
    });
  }

  slowClientDropped(): void {
    this.slowClients.inc();
  }

  disposed(roomId: string): void {
    this.worlds.delete(roomId);
  }

  log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.logger?.[level](fields ?? {}, message);
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
