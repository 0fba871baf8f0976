// RESULTS.md's line profile of processBatch: for each path, the floor's and the arena's time per
// operation split by where it went, first by part (the allocator, the workload's own lines, the
// engine), then line by line.

import type { CellProfile, ProfileSpot } from "../profile/line-profile";
import { significant } from "./format";

/** The parts a spot belongs to, told by its source file. */
const PARTS: [label: string, test: (spot: ProfileSpot) => boolean][] = [
  ["the library (src/)", (spot) => spot.module.startsWith("src/")],
  ["the floor's bump (bench/peers/js-bump.ts)", (spot) => spot.module.startsWith("bench/peers/")],
  ["the workload: its loop, reads, writes and views (bench/workloads/)", (spot) => spot.module.startsWith("bench/workloads/")],
  ["the engine: collector, runtime, builtins", (spot) => spot.module === ""],
  ["Node's own scripts (the profiling loop's clock)", (spot) => spot.module.startsWith("node:")],
];

/** Lines shown one by one: those that take at least this share of either cell's time. */
const LINE_SHARE = 0.02;

const ns = (value: number) => (value === 0 ? "–" : significant(value));
const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/`/g, "'");
const spotKey = (spot: ProfileSpot) => `${spot.module}\n${spot.text}`;

function partsTable(floor: CellProfile, arena: CellProfile): string[] {
  const partOf = (spot: ProfileSpot) => PARTS.findIndex(([, test]) => test(spot));
  const sums = (profile: CellProfile) => {
    const perPart = PARTS.map(() => 0);
    let other = 0;
    for (const spot of profile.spots) {
      const part = partOf(spot);
      if (part < 0) other += spot.nsPerOp;
      else perPart[part] += spot.nsPerOp;
    }
    return [...perPart, other];
  };
  const [f, a] = [sums(floor), sums(arena)];
  const labels = [...PARTS.map(([label]) => label), "anything else"];
  return [
    "| where the time went | floor, ns per op | arena, ns per op | arena − floor |",
    "|---|---:|---:|---:|",
    ...labels.map((label, i) => `| ${label} | ${ns(f[i])} | ${ns(a[i])} | ${significant(a[i] - f[i])} |`),
    `| **total, while profiled** | **${significant(floor.nsPerOp)}** | **${significant(arena.nsPerOp)}** | **${significant(arena.nsPerOp - floor.nsPerOp)}** |`,
  ];
}

function linesTable(floor: CellProfile, arena: CellProfile): string[] {
  const rows = new Map<string, { spot: ProfileSpot; floor: number; arena: number }>();
  for (const [profile, side] of [[floor, "floor"], [arena, "arena"]] as const) {
    for (const spot of profile.spots) {
      const row = rows.get(spotKey(spot)) ?? { spot, floor: 0, arena: 0 };
      row[side] += spot.nsPerOp;
      rows.set(spotKey(spot), row);
    }
  }
  const shown = [...rows.values()]
    .filter((row) => row.floor >= LINE_SHARE * floor.nsPerOp || row.arena >= LINE_SHARE * arena.nsPerOp)
    .sort((x, y) => y.arena - x.arena || y.floor - x.floor);
  return [
    "| line | source | floor | arena |",
    "|---|---|---:|---:|",
    ...shown.map(({ spot, floor: f, arena: a }) =>
      `| \`${escape(spot.text.length > 90 ? `${spot.text.slice(0, 87)}...` : spot.text)}\` | ${spot.module || "engine"} | ${ns(f)} | ${ns(a)} |`),
  ];
}

/**
 * The section, from the profiles of batch-child.ts; `readme` is the link to bench/README.md from
 * where RESULTS.md is written.
 */
export function profileSection(profiles: CellProfile[], readme: string): string {
  const paths = [["raw path", "batch/raw/floor", "batch/raw/arena"], ["view path", "batch/view/floor", "batch/view/arena"]] as const;
  const byId = new Map(profiles.map((profile) => [profile.cellId, profile]));
  const blocks: string[] = [];
  for (const [path, floorId, arenaId] of paths) {
    const floor = byId.get(floorId), arena = byId.get(arenaId);
    if (floor === undefined || arena === undefined) continue;
    blocks.push(`### ${path}`, partsTable(floor, arena).join("\n"),
      `Every line that took at least ${LINE_SHARE * 100}% of either cell's time, ns per operation (${floor.samples.toLocaleString("en")} and `
        + `${arena.samples.toLocaleString("en")} samples):`,
      linesTable(floor, arena).join("\n"));
  }
  return [
    "## Where the time goes: a line profile of processBatch",
    "Each cell runs alone for a few seconds in a fresh Node process, from a bundle that keeps its sources' lines (the library "
      + "as built in dist/), under V8's sampling profiler (node:inspector, a sample every 50 µs). A sample names the line the "
      + "optimized code was at, inlined calls included, and the source map names the file (bench/profile/). Each line's "
      + "share of the samples is shown as nanoseconds per operation of the profiled run, which the profiler slows a little. "
      + "A sampling profile charges a stall to the instruction that waits, which may be a line after the one that caused it: "
      + `[bench/README.md](${readme}#where-targets-are-missed) reads these tables.`,
    ...blocks,
  ].join("\n\n");
}
