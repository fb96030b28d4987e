import { entityColour } from './colours.ts';

/** The outline a body is drawn with: one per species, so two species never look alike even in the same colour. */
export type Shape = 'circle' | 'triangle' | 'square' | 'diamond' | 'pentagon' | 'hexagon' | 'star' | 'cross' | 'octagon';

/** How an entity looks on the map. */
export interface Look {
  readonly colour: string;
  readonly shape: Shape;
  /** In words, for the legend. */
  readonly label: string;
}

/**
 * The built-in species, each a distinct colour and shape (hues kept off the player blues, 150–250). Species a world
 * adds get a colour from their name and a shape from the same hash.
 */
export const SPECIES_LOOKS: Readonly<Record<string, Look>> = {
  wolf: { colour: 'hsl(24, 90%, 55%)', shape: 'triangle', label: 'Wolf' },
  lizardfolk: { colour: 'hsl(100, 75%, 42%)', shape: 'diamond', label: 'Lizardfolk' },
  bandit: { colour: 'hsl(0, 80%, 50%)', shape: 'square', label: 'Bandit' },
  goblin: { colour: 'hsl(62, 85%, 45%)', shape: 'pentagon', label: 'Goblin' },
  boar: { colour: 'hsl(30, 50%, 35%)', shape: 'hexagon', label: 'Boar' },
  crab: { colour: 'hsl(350, 90%, 70%)', shape: 'octagon', label: 'Crab' },
  spider: { colour: 'hsl(285, 65%, 50%)', shape: 'star', label: 'Spider' },
  scorpion: { colour: 'hsl(44, 95%, 55%)', shape: 'cross', label: 'Scorpion' },
  troll: { colour: 'hsl(135, 45%, 32%)', shape: 'octagon', label: 'Troll' },
  yeti: { colour: 'hsl(265, 35%, 85%)', shape: 'hexagon', label: 'Yeti' },
  skeleton: { colour: 'hsl(55, 35%, 88%)', shape: 'cross', label: 'Skeleton' },
};

const SHAPES: readonly Shape[] = ['triangle', 'square', 'diamond', 'pentagon', 'hexagon', 'star', 'cross', 'octagon'];

/** The player's own avatar, other players, and NPCs. */
export const OWN_LOOK: Look = { colour: 'hsl(45, 100%, 55%)', shape: 'circle', label: 'You' };
export const PLAYER_LOOK: Look = { colour: 'hsl(210, 90%, 60%)', shape: 'circle', label: 'Other players' };
export const NPC_LOOK: Look = { colour: 'hsl(320, 70%, 75%)', shape: 'circle', label: 'Villagers (NPCs)' };

/** How `e` looks: players and NPCs as circles, each species its own colour and shape. */
export function lookOf(e: { readonly kind: string; readonly species: string }, own = false): Look {
  if (own) return OWN_LOOK;
  if (e.kind === 'player') return PLAYER_LOOK;
  if (e.kind === 'npc') return NPC_LOOK;
  const known = SPECIES_LOOKS[e.species];
  if (known) return known;
  const name = e.species || e.kind;
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return { colour: entityColour(e), shape: SHAPES[h % SHAPES.length] as Shape, label: name[0]!.toUpperCase() + name.slice(1) };
}

/** Trace `shape` of radius `r` centred on (x, y) as the current path (fill or stroke it after). */
export function tracePath(ctx: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'circle':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    case 'square':
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      return;
    case 'cross': {
      const a = r * 0.38;
      ctx.moveTo(x - a, y - r);
      for (const [dx, dy] of [[a, -r], [a, -a], [r, -a], [r, a], [a, a], [a, r], [-a, r], [-a, a], [-r, a], [-r, -a], [-a, -a]] as const) ctx.lineTo(x + dx, y + dy);
      ctx.closePath();
      return;
    }
    case 'star': {
      for (let i = 0; i < 10; i++) {
        const rr = i % 2 === 0 ? r * 1.1 : r * 0.5;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        if (i === 0) ctx.moveTo(x + Math.cos(a) * rr, y + Math.sin(a) * rr);
        else ctx.lineTo(x + Math.cos(a) * rr, y + Math.sin(a) * rr);
      }
      ctx.closePath();
      return;
    }
    default: {
      const sides = shape === 'triangle' ? 3 : shape === 'diamond' ? 4 : shape === 'pentagon' ? 5 : shape === 'hexagon' ? 6 : 8;
      const rr = shape === 'triangle' ? r * 1.15 : r;
      for (let i = 0; i < sides; i++) {
        const a = -Math.PI / 2 + (i * 2 * Math.PI) / sides;
        if (i === 0) ctx.moveTo(x + Math.cos(a) * rr, y + Math.sin(a) * rr);
        else ctx.lineTo(x + Math.cos(a) * rr, y + Math.sin(a) * rr);
      }
      ctx.closePath();
    }
  }
}
