// One trial, start to end, in the process that calls it: set up a stack with live blocks, break
// one metadata word, run the fixed sequence, classify how it ended. Pure in (seed, trial).
import { rngFor } from "./rng";
import { buildStack, STACKS, type StackName } from "./stacks";
import { newWorld, enter, type World } from "./world";
import { allocOne, freeOne, resizeOne, remapOne, resetOne, inspect, validate, teardown } from "./ops";
import { findTargets, reservedRanges } from "./targets";
import { breakOneWord, type Damage } from "./damage";
import { classify, type Classified } from "./classify";

export interface TrialResult extends Classified {
  trial: number;
  stack: StackName;
  damage: Damage | null;
  op: string;
}

const RESET_MODES = ["retain_capacity", "free_all", { retain_with_limit: 4096 }] as const;

/** Live blocks everywhere, some given back (GPA free lists and quarantine, a free page run). */
function setup(w: World): void {
  for (const user of w.users) for (let i = 0; i < 4; i++) allocOne(w, user);
  for (const user of w.users) if (user.kind === "gpa") { freeOne(w, user); freeOne(w, user); }
  // A free page run between two used ones stays a run of its own, with its links in its pages.
  const page = w.stack.heap.pageAllocator;
  const runs = [page.rawAlloc(65536), page.rawAlloc(131072), page.rawAlloc(65536)];
  if (runs.every((p) => p !== 0)) {
    page.rawFree(runs[1], 131072);
    w.ledger.add("page", runs[0], 65536, 65536);
    w.ledger.add("page", runs[2], 65536, 65536);
    [w.freeRun, w.freeRunBytes] = [runs[1], 131072];
  }
}

/** The fixed sequence after the damage: every kind of call, each allocator, twice over. */
function sequence(w: World): void {
  for (let round = 0; round < 2; round++) {
    for (const user of w.users) { allocOne(w, user); allocOne(w, user); }
    for (const user of w.users) freeOne(w, user);
    for (const user of w.users) { resizeOne(w, user); remapOne(w, user); }
    inspect(w);
    // The fixed buffer first: resetting the arena under it takes its buffer away.
    const leaves = w.users.filter((u) => u.resettable).sort((a) => (a.kind === "fba" ? -1 : 1));
    for (const user of leaves) {
      resetOne(w, user, RESET_MODES[(round + leaves.indexOf(user)) % RESET_MODES.length]);
      if (w.users.includes(user)) { allocOne(w, user); allocOne(w, user); }
    }
  }
  validate(w);
  teardown(w);
}

export function runTrial(seed: number, trial: number, onOp: (op: string) => void, onArmed: (d: Damage, stack: StackName) => void): TrialResult {
  const rng = rngFor(seed, trial);
  const stack = STACKS[rng.below(STACKS.length)];
  const w = newWorld(buildStack(stack), rng, onOp);
  setup(w);
  for (const r of reservedRanges(w)) w.ledger.reserve(r.what, r.start, r.len);
  const damage = breakOneWord(w, findTargets(w));
  onArmed(damage, stack);
  enter(w, "first op");
  let error: unknown;
  try {
    sequence(w);
  } catch (e) {
    error = e ?? new Error("undefined thrown");
  }
  return { trial, stack, damage, op: w.op, ...classify(error) };
}
