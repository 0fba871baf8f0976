// Delta debugging over a failing op list: drop chunks, halving their size, while the list still
// breaks the same check. Ops whose targets a removal took away are no-ops on replay, so every
// candidate is a valid run.

import type { Op } from "./ops";
import type { RunConfig } from "./world";
import { replay, type RunFailure } from "./run";

export interface Shrunk {
  readonly ops: Op[];
  readonly failure: RunFailure;
  readonly replays: number;
}

export function shrink(config: RunConfig, ops: readonly Op[], failure: RunFailure, seconds: number): Shrunk {
  const deadline = Date.now() + seconds * 1000;
  let best = ops.slice(0, failure.step + 1);
  let bestFailure = failure;
  let replays = 0;
  const stillFails = (candidate: Op[]): RunFailure | null => {
    replays++;
    // Every check at every step once the list is short: it then fails at the op that breaks it.
    const result = replay(config, candidate, candidate.length <= 2000 ? 1 : 64);
    return result !== null && result.check === failure.check ? result : null;
  };
  let chunk = Math.max(1, best.length >> 1);
  while (chunk >= 1 && Date.now() < deadline) {
    let removed = false;
    for (let i = 0; i < best.length && Date.now() < deadline;) {
      const candidate = [...best.slice(0, i), ...best.slice(i + chunk)];
      const result = candidate.length < best.length ? stillFails(candidate) : null;
      if (result !== null) {
        best = candidate.slice(0, result.step + 1);
        bestFailure = result;
        removed = true;
      } else {
        i += chunk;
      }
    }
    if (!removed) {
      if (chunk === 1) break;
      chunk >>= 1;
    }
  }
  return { ops: best, failure: bestFailure, replays };
}
