// Several processes (Node) or browsers (Chromium) measure each platform and strategy, and their
// rounds are pooled into one run: a process's JIT settles its code one way or another (the same
// frame moved by 1.3× between processes of one build), so one process is one sample of that,
// however many rounds it runs. Each round's ratios stay paired within its process: every variant
// runs the same rounds in every process, so round i of the pooled run is the same moment of the
// same process for every variant.

import type { VariantResult, WorkloadResult } from "./measure";
import type { PlatformRun } from "./report";
import { median } from "../harness/results";

/** The notes that count collections: pooled windows add them up, with their frames. */
const COUNTED_NOTES = ["gcs", "gcMs"] as const;

function poolVariant(samples: VariantResult[]): VariantResult {
  const [first] = samples;
  const failed = samples.findIndex((v) => v.error !== undefined);
  const notes = { ...first.notes };
  for (const key of COUNTED_NOTES) {
    const counts = samples.map((v) => v.notes?.[key]);
    if (counts.every((count) => typeof count === "number")) notes[key] = (counts as number[]).reduce((sum, count) => sum + count, 0);
  }
  const frames = samples.every((v) => v.gcWindow !== undefined) ? samples.reduce((sum, v) => sum + v.gcWindow!.frames, 0) : undefined;
  return {
    ...first,
    error: failed < 0 ? undefined : `process ${failed + 1} of ${samples.length}: ${samples[failed].error}`,
    roundMs: samples.flatMap((v) => v.roundMs),
    frameMs: samples.flatMap((v) => v.frameMs),
    gcWindow: frames === undefined ? undefined : { ...first.gcWindow!, frames },
    notes: first.notes === undefined ? undefined : notes,
  };
}

function poolWorkload(samples: WorkloadResult[]): WorkloadResult {
  const [first] = samples;
  return {
    ...first,
    rounds: samples.reduce((sum, w) => sum + w.rounds, 0),
    variants: first.variants.map((variant) => poolVariant(samples.map((w) => w.variants.find((v) => v.id === variant.id) ?? { ...variant, error: "not run", roundMs: [], frameMs: [] }))),
  };
}

/**
 * One run from the runs of one platform and strategy in several processes: their rounds, frames
 * and collection windows together. A process that failed fails the pooled run, with its error;
 * the run says how many processes it pooled.
 */
export function poolRuns(samples: PlatformRun[]): PlatformRun {
  const [first] = samples;
  const failed = samples.findIndex((run) => run.error !== undefined || run.workloads === undefined);
  if (failed >= 0) return { ...samples[failed], error: `process ${failed + 1} of ${samples.length}: ${samples[failed].error ?? "no workloads"}`, processes: samples.length };
  const worst = (pick: (run: PlatformRun) => number | undefined) => Math.max(...samples.map((run) => pick(run) ?? NaN));
  const slowdowns = samples.map((run) => run.fastPathSlowdown).filter((x): x is number => x !== undefined);
  return {
    ...first,
    processes: samples.length,
    memoryGrows: worst((run) => run.memoryGrows),
    fastPathSlowdown: slowdowns.length === 0 ? undefined : median(slowdowns),
    scopeBackingCalls70k: first.scopeBackingCalls70k === undefined ? undefined : {
      freshHeap: worst((run) => run.scopeBackingCalls70k?.freshHeap),
      workloadHeap: worst((run) => run.scopeBackingCalls70k?.workloadHeap),
    },
    workloads: first.workloads!.map((_, i) => poolWorkload(samples.map((run) => run.workloads![i]))),
  };
}
