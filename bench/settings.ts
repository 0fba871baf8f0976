// How much to measure. `--quick` proves every workload and peer still runs, in well under a
// minute, with figures too rough to quote; the default is the full run the results come from.

import { resolve } from "node:path";

export interface Settings {
  mode: "quick" | "full";
  /** Measurements of every cell, interleaved across the group's peers; figures are their median. */
  rounds: number;
  /** Least time mitata spends sampling one cell in one round. */
  cpuTimeMs: number;
  /** Least samples mitata takes of one cell in one round. */
  minSamples: number;
  /**
   * Time each cell runs once more, untimed by mitata, while garbage collections and peak memory
   * are counted: a window with no harness allocations in it.
   */
  gcWindowMs: number;
  /** Batches the reset loop counts backing-allocator calls over. */
  resetBatches: number;
  /** Input lengths of computeResult. */
  computeSizes: number[];
  /** Live allocations the GPA workloads hold while they run. */
  gpaLive: number[];
  /** Where latest.json, RESULTS.md and the charts go. */
  outDir: string;
  /** Only sections whose id matches (`--only gpa`), for profiling one workload. */
  only?: RegExp;
}

const KI = 1024;
const MI = 1024 * KI;

const QUICK = {
  rounds: 3, cpuTimeMs: 4, minSamples: 2, gcWindowMs: 20, resetBatches: 4,
  computeSizes: [KI, MI], gpaLive: [1000, 32_000],
  outDir: "bench/.cache/quick",
};
const FULL = {
  rounds: 7, cpuTimeMs: 250, minSamples: 10, gcWindowMs: 1000, resetBatches: 20,
  computeSizes: [KI, 4 * KI, 16 * KI, 64 * KI, 256 * KI, MI], gpaLive: [1000, 32_000, 1_000_000],
  outDir: "bench/results",
};

/** Settings from the command line: `--quick`, `--only <regex>`, `--out <dir>`. */
export function settingsFromArgs(args: string[]): Settings {
  const mode = args.includes("--quick") ? "quick" : "full";
  const chosen = mode === "quick" ? QUICK : FULL;
  const valueOf = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = args[at + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
    return value;
  };
  const only = valueOf("--only");
  const known = new Set(["--quick", "--only", "--out"]);
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith("--") && !known.has(arg)) throw new Error(`unknown option ${arg}; use --quick, --only <regex>, --out <dir>`);
    if (!arg.startsWith("--") && !["--only", "--out"].includes(args[i - 1])) throw new Error(`unexpected argument ${arg}`);
  }
  return {
    mode, ...chosen,
    outDir: resolve(valueOf("--out") ?? chosen.outDir),
    only: only === undefined ? undefined : new RegExp(only),
  };
}
