// How much to measure. `--quick` proves every workload and peer still runs, in well under a
// minute, with figures too rough to quote; the default is the full run the results come from.

import { resolve } from "node:path";
import type { ViewStrategy } from "wasm-arena";

const KI = 1024;
const MI = 1024 * KI;

const FULL = {
  mode: "full" as "quick" | "full",
  /** Measurements of every cell, interleaved across the group's peers; figures are their median. */
  rounds: 7,
  /** Least time mitata spends sampling one cell in one round, and least samples it takes. */
  cpuTimeMs: 250,
  minSamples: 10,
  /** Time each cell runs once more, untimed by mitata, while collections and peak memory are counted. */
  gcWindowMs: 1000,
  /** Milliseconds each cell of processBatch's line profile runs under the profiler (bench/profile/). */
  profileMs: 3000,
  /** Batches the reset loop counts backing-allocator calls over. */
  resetBatches: 20,
  /** Input lengths of computeResult. */
  computeSizes: [KI, 4 * KI, 16 * KI, 64 * KI, 256 * KI, MI],
  /** Live allocations the GPA workloads hold while they run. */
  gpaLive: [1000, 32_000, 1_000_000],
  /** Where latest.json, RESULTS.md and the charts go: only a full run of everything writes bench/results. */
  outDir: "bench/results",
  /** Only sections whose id matches (`--only gpa`), for profiling one workload. */
  only: undefined as RegExp | undefined,
  /** The view strategy of every wasm-arena heap (`--strategy plain`); the platform's default if unset. */
  strategy: undefined as ViewStrategy | undefined,
};
export type Settings = typeof FULL;

const QUICK: Partial<Settings> = {
  mode: "quick", rounds: 3, cpuTimeMs: 4, minSamples: 2, gcWindowMs: 20, profileMs: 200, resetBatches: 4,
  computeSizes: [KI, 64 * KI], gpaLive: [1000, 32_000], outDir: "bench/.cache/quick",
};

/**
 * Settings from the command line: `--quick`, `--only <regex>`, `--strategy <view strategy>`,
 * `--out <dir>` (where the files go instead of bench/results; a run of some sections or of a forced
 * strategy writes to bench/.cache/ unless told).
 */
export function settingsFromArgs(args: string[]): Settings {
  const settings = { ...FULL, ...(args.includes("--quick") ? QUICK : {}) };
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const value = i + 1 < args.length ? args[i + 1] : undefined;
    if (args[i] === "--only" && value !== undefined) {
      settings.only = new RegExp(value);
      settings.outDir = `bench/.cache/only-${settings.mode}`;
    } else if (args[i] === "--strategy" && (value === "resizable" || value === "shared" || value === "plain")) {
      settings.strategy = value;
      settings.outDir = `bench/.cache/${value}-${settings.mode}`;
    } else if (args[i] === "--out" && value !== undefined) {
      out = value;
    } else if (args[i] !== "--quick") {
      throw new Error(`unexpected argument ${args[i]}; use --quick, --only <regex>, --strategy resizable|shared|plain, --out <dir>`);
    } else {
      continue;
    }
    i++;
  }
  return { ...settings, outDir: resolve(out ?? settings.outDir) };
}
