// REAL.md and one chart per platform and strategy. The charts are bench/report/svg.ts's, fed each
// run as a section (a panel per workload, a bar per variant); the tables and targets are here.

import type { Peer } from "../harness/cell";
import type { CellResult, RunResult, SectionResult } from "../harness/results";
import { sectionChart } from "../report/svg";
import { duration, ratio, significant } from "../report/format";
import type { WorkloadResult } from "./measure";
import { pairedRatio, summarize } from "./summary";
import { fastPathVerdict } from "../harness/detach-probe";

export interface PlatformRun {
  platform: "node" | "chromium";
  strategy: string;
  version: string;
  defaultStrategy?: string;
  crossOriginIsolated?: boolean;
  webgl?: string;
  memoryGrows?: number;
  /** detachProbe()'s figure, taken after the rounds: about 2 if the typed-array fast path was on through them. */
  fastPathSlowdown?: number;
  scopeBackingCalls70k?: { freshHeap: number; workloadHeap: number };
  /** How many processes (browsers) the run pools (pool.ts). */
  processes?: number;
  error?: string;
  workloads?: WorkloadResult[];
}

export interface Machine {
  cpu: string; cores: number; node: string; chromium: string; command: string; startedAt: string; seconds: number; quick: boolean; commit: string;
  /** Rounds per process, and processes (browsers) per platform and strategy (pool.ts); runs recorded before pooling had one. */
  rounds: number; processes?: number;
}

const COLOURS: Record<string, string> = {
  idiomatic: "#999999", arena: "#0072B2", recycled: "#56B4E9", scratch: "#CC79A7", withArena: "#009E73", jsBump: "#555555", preallocated: "#E69F00",
};

export const runName = (run: PlatformRun) => `${run.platform === "node" ? "Node" : "Chromium"} ${run.version}, "${run.strategy}"`;
export const chartFile = (run: PlatformRun) => `real-${run.platform}-${run.strategy}.svg`;

/** The run as one section of the existing benchmark's chart: ns per frame, ratios to idiomatic. */
export function chart(run: PlatformRun, machine: Machine): string {
  const toCell = (workload: WorkloadResult) => (v: WorkloadResult["variants"][number]): CellResult => {
    const ok = v.unavailable === undefined && v.error === undefined && v.roundMs.length > 0;
    const ns = v.roundMs.map((ms) => ms * 1e6);
    const sorted = [...ns].sort((a, b) => a - b);
    return {
      id: `${workload.id}/${v.id}`, peer: v.label as Peer, how: v.label, opsPerCall: 1,
      ns: ok ? { median: sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2, min: sorted[0], max: sorted[sorted.length - 1], rounds: ns } : undefined,
      ratios: { idiomatic: ok ? pairedRatio(v, workload.variants.find((x) => x.id === "idiomatic")) : null },
      gc: { events: 0, pauseMs: 0, seconds: 0, perSecond: 0, pauseMsPerSecond: 0 }, peakJsBytes: 0, linearBytes: 0,
      error: v.unavailable ?? v.error,
    };
  };
  const section: SectionResult = {
    id: `real-${run.platform}-${run.strategy}`, title: `${run.platform === "node" ? "Node" : "Chromium"}, "${run.strategy}"`, description: "",
    groups: (run.workloads ?? []).map((w) => ({
      variant: w.title, unit: "frame", references: [{ label: "idiomatic", cellId: `${w.id}/idiomatic` }],
      cells: w.variants.map(toCell(w)), extras: [],
    })),
  };
  const host = run.platform === "node" ? machine.node : `${machine.node} (host); Chromium ${run.version}`;
  const runResult = {
    mode: machine.quick ? "quick" : "full", startedAt: machine.startedAt, seconds: machine.seconds,
    environment: { cpu: machine.cpu, cores: machine.cores, node: host, viewStrategy: run.strategy },
    settings: { rounds: machine.rounds, cpuTimeMs: 0, minSamples: 0, gcWindowMs: 0 }, sections: [section],
  } as unknown as RunResult;
  let svg = sectionChart(section, runResult);
  // The chart colours the existing peers; these variants get theirs by label.
  for (const [id, colour] of Object.entries(COLOURS)) {
    const label = section.groups[0]?.cells.find((c) => c.id.endsWith(`/${id}`))?.how;
    if (label === undefined) continue;
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    svg = svg.replace(new RegExp(`(>${escaped}</text>\\n<rect [^>]*fill=")undefined"`, "g"), `$1${colour}"`);
  }
  return svg.replace(/fill="undefined"/g, `fill="#777777"`);
}

function table(columns: string[], rows: (string | number)[][], rightAlignedFrom = 1): string {
  const esc = (cell: string | number) => String(cell).replace(/\|/g, "\\|");
  return [`| ${columns.join(" | ")} |`, `|${columns.map((_, i) => (i >= rightAlignedFrom ? "---:" : "---")).join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

const ms = (value: number | undefined) => value === undefined ? "—" : duration(value * 1e6);

function runTables(run: PlatformRun): string {
  if (run.error !== undefined || run.workloads === undefined) return `### ${runName(run)}\n\nfailed: ${run.error}`;
  const facts = [
    run.crossOriginIsolated === undefined ? "" : `cross-origin isolated: ${run.crossOriginIsolated}`,
    `default strategy on this platform: "${run.defaultStrategy}"`, `memory grows during the run: ${run.memoryGrows}`,
    run.fastPathSlowdown === undefined ? "" : `V8's typed-array fast path: ${fastPathVerdict(run.fastPathSlowdown)}`,
    run.webgl === undefined ? "" : `WebGL: ${run.webgl}`,
  ].filter((f) => f !== "").join(" · ");
  const parts = [`### ${runName(run)}`, facts, `![${runName(run)}](${chartFile(run)})`];
  for (const workload of run.workloads) {
    const rows = summarize(workload).map((s) => s.missing !== undefined
      ? [s.label, s.missing, "", "", "", ""]
      : [s.label, `**${ms(s.medianMs)}**<br><sub>${ms(s.minMs)} – ${ms(s.maxMs)}</sub>`, ratio(s.vsIdiomatic), ms(s.p99Ms),
        s.gcsPer100 === undefined ? "—" : significant(s.gcsPer100), s.gcMsPer100 === undefined ? "—" : significant(s.gcMsPer100)]);
    parts.push(`**${workload.title}** (${workload.rounds} rounds${(run.processes ?? 1) > 1 ? ` from ${run.processes} processes` : ""} × ${workload.frames} frames per variant)`);
    parts.push(table(["variant", "ms per frame: median<br><sub>min – max of rounds</sub>", "÷ idiomatic (paired)", "p99 frame", "GCs per 100 frames", "GC ms per 100 frames"], rows));
    const noted = workload.variants.flatMap((v) => ["views", "webgl"].filter((key) => typeof v.notes?.[key] === "string").map((key) => `${v.label}: ${v.notes![key]}`));
    if (noted.length > 0) parts.push(noted.map((line) => `- ${line}`).join("\n"));
  }
  return parts.join("\n\n");
}

export interface Target { workload: string; target: string; platform: string; measured: string; met: boolean | null }

/** The issue's targets, read from one run (its default strategy is the one that counts). */
export function targets(run: PlatformRun): Target[] {
  const out: Target[] = [];
  const platform = runName(run);
  const find = (workload: string) => run.workloads?.find((w) => w.id === workload);
  const variant = (workload: string, id: string) => find(workload)?.variants.find((v) => v.id === id);
  const arenaIds = ["arena", "recycled", "scratch"] as const;
  const name = (id: string) => (id === "arena" ? "arena" : id === "recycled" ? "arena (recycled views)" : "fixed buffer reset per entity / block");
  const push = (workload: string, target: string, value: number | null | undefined, pass: (v: number) => boolean, show: (v: number) => string, why?: string) =>
    out.push({ workload, target, platform, measured: value === null || value === undefined ? (why ?? "—") : show(value), met: value === null || value === undefined ? null : pass(value) });
  const unavailable = (workload: string, id: string) => variant(workload, id)?.unavailable ?? variant(workload, id)?.error;
  const limits: [string, string, number, string, number][] = [
    ["gl-matrix", "idiomatic", 0.7, "preallocated", 1.15], ["fft-64", "idiomatic", 0.4, "preallocated", 1.1], ["fft-1024", "idiomatic", 0.85, "preallocated", 1.05],
  ];
  for (const [workload, , idiomaticLimit, , floorLimit] of limits) {
    for (const id of arenaIds) {
      const why = unavailable(workload, id);
      if (variant(workload, id)?.unavailable !== undefined) {
        out.push({ workload, target: `every target of ${name(id)}`, platform, measured: why!, met: null });
        continue;
      }
      push(workload, `${name(id)} ÷ idiomatic ≤ ${idiomaticLimit}×`, pairedRatio(variant(workload, id), variant(workload, "idiomatic")), (v) => v <= idiomaticLimit, ratio, why);
      push(workload, `${name(id)} ÷ hand-preallocated floor ≤ ${floorLimit}×`, pairedRatio(variant(workload, id), variant(workload, "preallocated")), (v) => v <= floorLimit, ratio, why);
      push(workload, `${name(id)} ÷ ten-line JS bump ≤ 1.0×`, pairedRatio(variant(workload, id), variant(workload, "jsBump")), (v) => v <= 1, ratio, why);
      const s = find(workload) === undefined ? [] : summarize(find(workload)!);
      const mine = s.find((x) => x.id === id);
      const theirs = s.find((x) => x.id === "idiomatic");
      push(workload, `p99 frame: ${name(id)} ÷ idiomatic ≤ 1.0×`, mine?.p99Ms !== undefined && theirs?.p99Ms !== undefined ? mine.p99Ms / theirs.p99Ms : null,
        (v) => v <= 1, (v) => `${ratio(v)} (${ms(mine!.p99Ms)} vs ${ms(theirs!.p99Ms)})`, why);
      if (workload === "gl-matrix") {
        push(workload, `GCs per 100 frames, ${name(id)} (steady state) = 0`, mine?.gcsPer100, (v) => v === 0, significant, why);
        if (run.platform === "chromium") {
          const webgl = variant(workload, id)?.notes?.webgl;
          out.push({ workload, target: `${name(id)}: views accepted by WebGL bufferData with no copy`, platform,
            measured: typeof webgl === "string" ? webgl.replace(/\(TypeError: [^:]*: /, "(") : (why ?? "—"), met: typeof webgl === "string" ? webgl.startsWith("bufferData accepted") : null });
        }
      }
    }
  }
  push("withArena", "backing calls per withArena scope of 70,000 allocations ≤ 40, fresh heap", run.scopeBackingCalls70k?.freshHeap, (v) => v <= 40, String);
  push("withArena", "the same on the heap the workloads used (their chunks and instance buffers live)", run.scopeBackingCalls70k?.workloadHeap, (v) => v <= 40, String);
  return out;
}

/** The targets table, read from each platform's run under its default strategy. */
export function realTargets(runs: PlatformRun[]): string {
  const defaults = runs.filter((r) => r.strategy === r.defaultStrategy);
  const status = (met: boolean | null) => (met === null ? "— not measured" : met ? "✅ met" : "❌ missed");
  return [
    `Read from the run under each platform's default strategy (${defaults.map((r) => `${r.platform}: "${r.strategy}"`).join(", ")}); the other strategies' figures are in their tables.`,
    table(["workload", "target", "run", "measured", "status"], defaults.flatMap(targets).map((t) => [t.workload, t.target, t.platform, t.measured, status(t.met)]), 99),
  ].join("\n\n");
}

/**
 * RESULTS.md's section on the real-library run in `dir` (a path relative to RESULTS.md): the
 * targets and the charts, with REAL.md for the tables.
 */
export function realSection(runs: PlatformRun[], machine: Machine, dir: string): string {
  const at = (file: string) => (dir === "" ? file : `${dir}/${file}`);
  return [
    "## Real libraries: gl-matrix and fft.js",
    `Node ${machine.node} and Chromium ${machine.chromium}, ${machine.quick ? "quick run (too few frames to quote)" : `${Math.round(machine.seconds / 60)} min`}: `
      + `every variant's figures, and how they are taken, in [REAL.md](${at("REAL.md")}).`,
    realTargets(runs),
    ...runs.filter((run) => run.workloads !== undefined).map((run) => `![${runName(run)}](${at(chartFile(run))})`),
  ].join("\n\n");
}

export function realMarkdown(runs: PlatformRun[], machine: Machine): string {
  return [
    "# Real libraries",
    machine.quick ? "> **Quick run**: proves the workloads still run; too few frames to quote." : `> One run of \`${machine.command}\`, ${machine.startedAt.slice(0, 16).replace("T", " ")} UTC, ${Math.round(machine.seconds / 60)} min.`,
    `**Machine:** ${machine.cpu}, ${machine.cores} cores (shared with other work while measured: figures are noisy, ratios are paired per round) · `
      + `**Node** ${machine.node} · **Chromium** ${machine.chromium} (headless, \`/usr/bin/chromium\`, WebGL2 through ANGLE on SwiftShader with \`--disable-gpu\`) · `
      + `gl-matrix 3.4.4 · fft.js 4.0.4 · library at commit ${machine.commit} · command: \`${machine.command}\``,
    "The workloads are the examples [examples/gl-matrix-frame.ts](../../examples/gl-matrix-frame.ts) and "
      + "[examples/fft-block-filter.ts](../../examples/fft-block-filter.ts) (idiomatic and arena versions side by side), "
      + "with the floors in [bench/real/](../real/). Every variant computes the same result: the checksums of "
      + "all variants are compared after the warm-up and after the rounds, and a variant that differs is reported as failed. "
      + "The warm-up runs every variant for the same number of frames, enough for the fastest to run 300 ms, so that no timed "
      + "frame is one the engine is still compiling. Each round runs every variant for the same number of frames, in alternating order, after a full collection; "
      + `each platform and strategy runs in ${machine.processes ?? 1} ${(machine.processes ?? 1) === 1 ? "process (browser)" : "processes (browsers), one after the other, each with its own warm-up and rounds, which are pooled, since a process's optimizing compiler settles the code one way or another and one process is one sample of that"}; `
      + "ms per frame is the median over rounds of each round's mean frame time (min – max of rounds below), "
      + "ratios are the median of per-round ratios, p99 is over every timed frame. Collections are counted apart "
      + "from the timing, while each variant runs alone for a window of frames after a full collection: in Node from "
      + "`PerformanceObserver` \"gc\" entries, in Chromium from the MinorGC/MajorGC events of a trace "
      + "(playwright `browser.startTracing`, category `devtools.timeline`) between `performance.mark`s. Chromium runs with "
      + "`--js-flags=--expose-gc`; outside a cross-origin isolated page its `performance.now()` is coarsened to 100 µs.",
    "## Targets (issue 11)",
    realTargets(runs),
    "## Runs",
    ...runs.map(runTables),
    "",
  ].join("\n\n");
}
