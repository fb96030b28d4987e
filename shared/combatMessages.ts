/** Messages the `world` room sends about fights, shared by the server and the browser client. */

/** `hit`: one landed blow, to the clients that see its target. */
export interface HitMessage {
  readonly target: number;
  readonly source: number;
  /** Damage dealt, hp. */
  readonly amount: number;
  /** The target's hp after the blow. */
  readonly hp: number;
  readonly tick: number;
}

/** Who killed a player. */
export interface Killer {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  readonly species: string;
}

/** `died`: to the dead player's own client. */
export interface DiedMessage {
  readonly actor: number;
  readonly killer: Killer | null;
  readonly tick: number;
  /** Ticks until the avatar respawns at the first spawn point unless the player chooses one (`respawn` { at: id }). */
  readonly respawnInTicks: number;
  /** The safe points the player may choose; the first is the default. */
  readonly spawns: readonly { readonly id: string; readonly name: string }[];
}
