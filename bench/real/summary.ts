// From the frames of a run to its figures: ms per frame (median of the round means, their range),
// paired ratios (the median of per-round ratios against a reference measured in the same rounds),
// p99 of every timed frame, and collections per 100 frames of the collection window.

import { median } from "../harness/results";
import type { VariantResult, WorkloadResult } from "./measure";

export interface VariantSummary {
  id: string;
  label: string;
  /** Why there are no figures: not available here, or failed. */
  missing?: string;
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  p99Ms?: number;
  /** Median per-round ratio of this variant's mean frame time to idiomatic's. */
  vsIdiomatic?: number | null;
  gcsPer100?: number;
  gcMsPer100?: number;
  notes?: Record<string, string | number | boolean>;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The median over rounds of mine[round] / theirs[round]; null unless both ran every round. */
export function pairedRatio(mine: VariantResult | undefined, theirs: VariantResult | undefined): number | null {
  if (mine === undefined || theirs === undefined || mine.error !== undefined || theirs.error !== undefined) return null;
  if (mine.roundMs.length === 0 || mine.roundMs.length !== theirs.roundMs.length) return null;
  return median(mine.roundMs.map((ms, round) => ms / theirs.roundMs[round]));
}

export function summarize(workload: WorkloadResult): VariantSummary[] {
  const idiomatic = workload.variants.find((v) => v.id === "idiomatic");
  return workload.variants.map((v) => {
    const missing = v.unavailable ?? v.error;
    if (missing !== undefined || v.roundMs.length === 0) return { id: v.id, label: v.label, missing: missing ?? "not measured", notes: v.notes };
    const gcs = Number(v.notes?.gcs);
    const frames = v.gcWindow?.frames ?? 0;
    return {
      id: v.id, label: v.label,
      medianMs: median(v.roundMs), minMs: Math.min(...v.roundMs), maxMs: Math.max(...v.roundMs),
      p99Ms: percentile(v.frameMs, 99),
      vsIdiomatic: pairedRatio(v, idiomatic),
      gcsPer100: Number.isFinite(gcs) && frames > 0 ? (100 * gcs) / frames : undefined,
      gcMsPer100: Number.isFinite(gcs) && frames > 0 ? (100 * Number(v.notes?.gcMs ?? 0)) / frames : undefined,
      notes: v.notes,
    };
  });
}
