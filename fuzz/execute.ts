// One op, on the heap and on the model. Ops whose targets are gone (dropped by the shrinker) do
// nothing, so any sub-list of a recorded run is itself a valid run.

import type { Op } from "./ops";
import type { World } from "./world";
import { execAlloc, execFree, execRealloc, execResize } from "./execute-blocks";
import { execArena, execCheckpoint, execDeinit, execDrain, execFba, execFbaReset, execGpa, execLimit, execReset,
  execRestore } from "./execute-stacks";
import { execBad } from "./bad-calls";

export function execute(world: World, op: Op): void {
  if (op.t !== "alloc" && op.t !== "bad") world.count(op.t === "reset" ? `reset ${JSON.stringify(op.mode).replace(/\d+/, "n")}` : op.t);
  switch (op.t) {
    case "alloc": return execAlloc(world, op);
    case "free": return execFree(world, op);
    case "resize": return execResize(world, op);
    case "realloc": return execRealloc(world, op);
    case "gpa": return execGpa(world, op);
    case "arena": return execArena(world, op);
    case "fba": return execFba(world, op);
    case "deinit": return execDeinit(world, op);
    case "reset": return execReset(world, op);
    case "checkpoint": return execCheckpoint(world, op);
    case "restore": return execRestore(world, op);
    case "fbaReset": return execFbaReset(world, op);
    case "limit": return execLimit(world, op);
    case "drain": return execDrain(world, op);
    case "bad": return execBad(world, op);
  }
}
