import { Interpolator } from './interpolation.ts';

/** An entity as the client keeps it (copied from the room state on each patch). */
export interface EntityView {
  readonly id: number;
  kind: string;
  species: string;
  name: string;
  /** Latest position from the server, world units (the drawn position is interpolated). */
  x: number;
  y: number;
  hp: number;
  maxHp: number;
  /** `idle`, `walk`, `attack`, `dead`. */
  anim: string;
  pack: string;
  /** NPCs: the persona's role and its stance (`peaceful`, `guard`); '' for the rest. */
  role: string;
  stance: string;
  /** Players: spawn protection lasts. */
  shielded: boolean;
}

/** The fields of a state entity the mirror reads. */
interface StateEntity {
  readonly id: number;
  readonly kind: string;
  readonly species: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly hp: number;
  readonly maxHp: number;
  readonly anim: string;
  readonly pack: string;
  /** Absent from states of servers that do not send them. */
  readonly role?: string;
  readonly stance?: string;
  readonly shielded?: boolean;
}

/** Something with `forEach(value, key)`: a MapSchema on the client, a Map in tests. */
interface Each<T> {
  forEach(cb: (value: T, key: string) => void): void;
}

/**
 * The client's copy of the entities it can see, with an interpolator fed one sample per patch. Works on
 * anything shaped like the room state, so it is tested without a server.
 */
export class EntityMirror {
  readonly entities = new Map<string, EntityView>();
  readonly interpolator: Interpolator;

  constructor(patchMs: number) {
    this.interpolator = new Interpolator({ patchMs });
  }

  /**
   * Copy the state's entities after a patch that arrived at `now` (ms); forget the ones gone from view, except
   * `keep` (the own avatar while it walks into the next zone: it leaves the old zone's state before the new zone's
   * state is drawn).
   */
  sync(state: { readonly entities?: Each<StateEntity> }, now: number, keep?: number): void {
    const seen = new Set<string>();
    state.entities?.forEach((e, key) => {
      seen.add(key);
      let v = this.entities.get(key);
      if (!v) {
        v = { id: e.id, kind: e.kind, species: e.species, name: e.name, x: e.x, y: e.y, hp: e.hp, maxHp: e.maxHp, anim: e.anim, pack: e.pack, role: e.role ?? '', stance: e.stance ?? '', shielded: e.shielded ?? false };
        this.entities.set(key, v);
      } else {
        v.kind = e.kind;
        v.species = e.species;
        v.name = e.name;
        v.x = e.x;
        v.y = e.y;
        v.hp = e.hp;
        v.maxHp = e.maxHp;
        v.anim = e.anim;
        v.pack = e.pack;
        v.role = e.role ?? '';
        v.stance = e.stance ?? '';
        v.shielded = e.shielded ?? false;
      }
      this.interpolator.push(key, now, e.x, e.y);
    });
    for (const key of [...this.entities.keys()]) {
      if (!seen.has(key) && key !== String(keep)) {
        this.entities.delete(key);
        this.interpolator.remove(key);
      }
    }
  }

  /** Where entity `id` is drawn at `now` (ms): interpolated, or its latest position. */
  drawnAt(id: number | string, now: number): { x: number; y: number } | undefined {
    const key = String(id);
    const e = this.entities.get(key);
    if (!e) return undefined;
    const p = this.interpolator.position(key, now);
    return p && Number.isFinite(p.x) ? p : { x: e.x, y: e.y };
  }

  get(id: number | string): EntityView | undefined {
    return this.entities.get(String(id));
  }

  clear(): void {
    this.entities.clear();
    this.interpolator.retain(new Set());
  }
}
