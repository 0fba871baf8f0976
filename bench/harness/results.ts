// The figures a run produces; latest.json is this, serialised.

import type { Cell, Extra, Group, Section } from "./cell";
import type { Environment } from "./environment";
import type { Settings } from "../settings";
import type { CellProfile } from "../profile/line-profile";

/** A figure over the rounds: the median of the per-round figures, and their range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** The per-round figures (mean ns per operation), in round order. */
  rounds: number[];
}

/** What the cell was, and what it measured. */
export interface CellResult extends Pick<Cell, "id" | "peer" | "how" | "opsPerCall"> {
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

export interface GroupResult extends Pick<Group, "variant" | "unit" | "references"> {
  cells: CellResult[];
  extras: Extra[];
}

export interface SectionResult extends Omit<Section, "groups"> {
  groups: GroupResult[];
}

export interface RunResult {
  mode: "quick" | "full";
  startedAt: string;
  seconds: number;
  environment: Environment;
  /** How much was measured. */
  settings: Pick<Settings, "rounds" | "cpuTimeMs" | "minSamples" | "gcWindowMs">;
  sections: SectionResult[];
  /** detachProbe()'s figure after the sections: about 2 if V8's typed-array fast path was on through them. */
  fastPathSlowdown?: number;
  /** The line profile of processBatch's floor and arena cells (bench/profile/), when the run measured processBatch. */
  batchProfile?: CellProfile[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function spread(rounds: number[]): Spread {
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}
