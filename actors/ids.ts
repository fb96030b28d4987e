/** Actor ids are positive integers handed out by a counter in world state; 0 means "none". */
export type ActorId = number;

/** The id that means "no actor" (e.g. no parent, no target). */
export const NO_ACTOR: ActorId = 0;
