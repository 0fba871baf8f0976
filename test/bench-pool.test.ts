// The real-library benchmark pools the rounds of several processes into one run (bench/real/pool.ts).
import { describe, expect, it } from "vitest";
import { poolRuns } from "../bench/real/pool";
import { pairedRatio } from "../bench/real/summary";
import type { PlatformRun } from "../bench/real/report";
import type { VariantResult } from "../bench/real/measure";

const variant = (id: string, roundMs: number[], gcs: number, extra: Partial<VariantResult> = {}): VariantResult => ({
  id, label: id, roundMs, frameMs: roundMs.flatMap((ms) => [ms, ms]), notes: { gcs, gcMs: gcs / 2, views: `${id} views` },
  gcWindow: { from: 0, to: 1, frames: 100, markStart: "a", markEnd: "b" }, ...extra,
});
const run = (variants: VariantResult[], extra: Partial<PlatformRun> = {}): PlatformRun => ({
  platform: "node", strategy: "plain", version: "20", memoryGrows: 0, fastPathSlowdown: 2,
  scopeBackingCalls70k: { freshHeap: 28, workloadHeap: 30 }, workloads: [{ id: "w", title: "w", frames: 2, rounds: variants[0].roundMs.length, variants }], ...extra,
});

describe("poolRuns", () => {
  it("concatenates each variant's rounds in process order, so that ratios stay paired within a process", () => {
    const pooled = poolRuns([
      run([variant("idiomatic", [10, 12], 4), variant("recycled", [5, 6], 0)]),
      run([variant("idiomatic", [20, 22], 6), variant("recycled", [16, 11], 1)], { memoryGrows: 1, fastPathSlowdown: 1, scopeBackingCalls70k: { freshHeap: 27, workloadHeap: 33 } }),
      run([variant("idiomatic", [8, 9], 2), variant("recycled", [4, 9], 0)]),
    ]);
    const [workload] = pooled.workloads!;
    const [idiomatic, recycled] = workload.variants;
    expect(pooled.processes).toBe(3);
    expect(workload.rounds).toBe(6);
    expect(recycled.roundMs).toEqual([5, 6, 16, 11, 4, 9]);
    expect(recycled.frameMs).toHaveLength(12);
    // Per-round ratios 0.5, 0.5, 0.8, 0.5, 0.5, 1: their median.
    expect(pairedRatio(recycled, idiomatic)).toBe(0.5);
    expect(idiomatic.notes).toEqual({ gcs: 12, gcMs: 6, views: "idiomatic views" });
    expect(idiomatic.gcWindow?.frames).toBe(300);
    expect(pooled.memoryGrows).toBe(1);
    expect(pooled.fastPathSlowdown).toBe(2);
    expect(pooled.scopeBackingCalls70k).toEqual({ freshHeap: 28, workloadHeap: 33 });
  });

  it("fails a variant that failed in any process, and the run if a process failed", () => {
    const pooled = poolRuns([
      run([variant("idiomatic", [10], 0), variant("recycled", [5], 0)]),
      run([variant("idiomatic", [10], 0), variant("recycled", [], 0, { error: "checksum 1 after the rounds, expected 2" })]),
    ]);
    expect(pooled.workloads![0].variants[1].error).toBe("process 2 of 2: checksum 1 after the rounds, expected 2");
    expect(pooled.workloads![0].variants[0].error).toBeUndefined();
    const broken = poolRuns([run([variant("idiomatic", [10], 0)]), { platform: "node", strategy: "plain", version: "20", error: "exit 1" }]);
    expect(broken.error).toBe("process 2 of 2: exit 1");
  });
});
