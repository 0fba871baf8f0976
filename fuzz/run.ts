// One seed's run: generate, execute and check ops, every check every k steps, then tear every
// allocator down and check that the heap is back where it started. replay() runs a recorded list
// the same way, for the shrinker and for regression tests.

import type { Op } from "./ops";
import { World, type RunConfig } from "./world";
import { Rng } from "./rng";
import { Generator, type GenOptions } from "./generate";
import { execute } from "./execute";
import { checkAll } from "./checks";
import { ensure, FuzzFailure } from "./failure";

export interface RunFailure {
  readonly step: number;
  readonly check: string;
  readonly message: string;
}

export interface RunResult {
  readonly ops: Op[];
  readonly counts: ReadonlyMap<string, number>;
  readonly failure: RunFailure | null;
}

const PAGE = 65536;
const RECORDS_PER_PAGE = 256;

function asFailure(step: number, error: unknown): RunFailure {
  if (error instanceof FuzzFailure) return { step, check: error.check, message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { step, check: `threw:${e.constructor.name}`, message: `${e.constructor.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 6).join("\n")}` };
}

/**
 * Tears every allocator down, newest first (so nothing outlives what it is stacked on), then
 * checks the leak invariants: a drained GPA holds no allocation, pages and large blocks; and the
 * page allocator's pages in use are back to the start (but for records of FBAs not yet collected).
 */
export function finish(world: World): void {
  const nodes = [...world.nodes.values()].sort((x, y) => y.id - x.id);
  for (const node of nodes) {
    execute(world, { t: "drain", id: node.id });
    if (node.gpa !== null) {
      const s = node.gpa.stats();
      // Slabs may stay: the safety quarantine holds freed slots back, keeping their slabs.
      ensure(s.requestedBytes === 0 && s.liveAllocations === 0 && s.largeAllocations === 0 && s.largeBytes === 0 && s.sparePages <= 1,
        "gpa-drained", () => `GPA #${node.id} after freeing everything: ${JSON.stringify({ ...s, sizeClasses: undefined })}`);
    }
    if (node.parent !== null) execute(world, { t: "deinit", id: node.id });
  }
  checkAll(world);
  if (world.abandoned) return;
  const inUse = world.heap.stats().pagesInUseBytes;
  const slack = Math.ceil((world.fbasMade + 16) / RECORDS_PER_PAGE) * PAGE;
  ensure(inUse >= world.startPagesInUse && inUse <= world.startPagesInUse + slack, "pages-returned",
    () => `pagesInUseBytes ${inUse} after teardown, ${world.startPagesInUse} at the start`);
}

export interface SeedOptions {
  readonly ops: number;
  readonly every: number;
  readonly gen: GenOptions;
  readonly onStep?: (step: number) => void;
}

export function runSeed(config: RunConfig, options: SeedOptions): RunResult {
  const world = new World(config);
  const generator = new Generator(new Rng(config.seed ^ 0x9e3779b9), options.gen);
  const ops: Op[] = [];
  let step = 0;
  try {
    for (; step < options.ops; step++) {
      const op = generator.next(world);
      ops.push(op);
      execute(world, op);
      if ((step + 1) % options.every === 0) {
        checkAll(world);
        options.onStep?.(step + 1);
      }
    }
    finish(world);
    return { ops, counts: world.counts, failure: null };
  } catch (error) {
    return { ops, counts: world.counts, failure: asFailure(step, error) };
  }
}

/** Runs a recorded list; null if every check passes. */
export function replay(config: RunConfig, ops: readonly Op[], every: number): RunFailure | null {
  let step = 0;
  try {
    const world = new World(config);
    for (; step < ops.length; step++) {
      execute(world, ops[step]);
      if ((step + 1) % every === 0) checkAll(world);
    }
    finish(world);
    return null;
  } catch (error) {
    return asFailure(step, error);
  }
}
