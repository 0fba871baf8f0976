// The figures a run produces; latest.json is this, serialised.

import type { Extra, Peer, Reference } from "./cell";
import type { Environment } from "./environment";

/** A figure over the rounds: the median of the per-round figures, and their range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** The per-round figures (mean ns per operation), in round order. */
  rounds: number[];
}

export interface CellResult {
  id: string;
  peer: Peer;
  how: string;
  opsPerCall: number;
  /** Nanoseconds per operation. Absent when the cell failed. */
  ns?: Spread;
  /** The cell's median time divided by each reference's, keyed by the reference label. */
  ratios: Record<string, number | null>;
  gc: {
    events: number;
    pauseMs: number;
    /** Seconds of measured work the events were counted over. */
    seconds: number;
    perSecond: number;
    pauseMsPerSecond: number;
  };
  /** Growth of the JS heap plus ArrayBuffers at the peak, over what was live before the cell. */
  peakJsBytes: number;
  linearBytes: number;
  /** Why the cell has no figures (it threw, or its checksum was wrong). */
  error?: string;
}

export interface GroupResult {
  variant: string;
  unit: string;
  /** What the cells' ratios are computed against. */
  references: Reference[];
  cells: CellResult[];
  extras: Extra[];
}

export interface SectionResult {
  id: string;
  title: string;
  description: string;
  groups: GroupResult[];
}

export interface RunResult {
  mode: "quick" | "full";
  startedAt: string;
  seconds: number;
  environment: Environment;
  /** How much was measured (settings.ts). */
  settings: { rounds: number; cpuTimeMs: number; minSamples: number; gcWindowMs: number };
  sections: SectionResult[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function spread(rounds: number[]): Spread {
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}
