// One trial's state: the stack, the blocks the trial holds, its random stream, and the name of
// the operation under way (the "where" of a failure signature).
import type { Rng } from "./rng";
import type { Stack, User } from "./stacks";
import { Ledger, type Block } from "./ledger";

export interface World {
  stack: Stack;
  rng: Rng;
  ledger: Ledger;
  /** The users still usable: a fixed buffer whose backing arena was reset leaves the list. */
  users: User[];
  /** The operation under way, e.g. "free gpa". */
  op: string;
  /** Called with each operation's name before it runs (trace mode: the parent learns where a hang is). */
  onOp: (op: string) => void;
  /** The page of a run the setup gave back to the page allocator, or 0. */
  freeRun: number;
  freeRunBytes: number;
}

export function newWorld(stack: Stack, rng: Rng, onOp: (op: string) => void): World {
  return { stack, rng, ledger: new Ledger(), users: [...stack.users], op: "setup", onOp, freeRun: 0, freeRunBytes: 0 };
}

/** Names the operation about to run. */
export function enter(w: World, op: string): void {
  w.op = op;
  w.onOp(op);
}

export function randomBlock(w: World, user: User): Block | null {
  const blocks = w.ledger.blocksOf(user.name);
  return blocks.length === 0 ? null : w.rng.pick(blocks);
}
