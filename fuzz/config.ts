// Each seed's configuration, derived from the seed alone so that a seed names a whole run: the
// view strategy (cycling through those the platform has) and, for a quarter of the seeds, a
// small heap on which out of memory is a state the run keeps visiting.

import { Heap, type ViewStrategy } from "../src/index";
import { Rng } from "./rng";
import type { RunConfig } from "./world";

const MiB = 1 << 20;

/** The view strategies Heap.create accepts here ("resizable" needs Node 26). */
export function availableStrategies(): ViewStrategy[] {
  return (["plain", "shared", "resizable"] as const).filter((viewStrategy) => {
    try {
      Heap.create({ initialBytes: 1 << 16, maximumBytes: 1 << 20, viewStrategy });
      return true;
    } catch {
      return false;
    }
  });
}

export function configFor(seed: number, strategies: readonly ViewStrategy[]): RunConfig {
  const rng = new Rng(seed);
  const constrained = rng.chance(0.25);
  return {
    seed,
    strategy: strategies[seed % strategies.length],
    maximumBytes: constrained ? rng.int(2, 8) * MiB : null,
  };
}
