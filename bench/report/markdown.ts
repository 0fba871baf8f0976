// RESULTS.md: the machine, the targets, and one table per measured group, with the charts.

import type { Extra } from "../harness/cell";
import type { CellResult, GroupResult, RunResult, SectionResult } from "../harness/results";
import { TLSF_BUILD } from "../peers/tlsf";
import type { TargetResult } from "./targets";
import { MISSED_TARGET_NOTES } from "./notes";
import { duration, mebibytes, ratio, significant } from "./format";

const STATUS = { met: "✅ met", missed: "❌ missed", "not measured": "— not measured" } as const;

function table(columns: string[], rows: (string | number)[][], rightAlignedFrom = 1): string {
  const escape = (cell: string | number) => String(cell).replace(/\|/g, "\\|");
  return [
    `| ${columns.map(escape).join(" | ")} |`,
    `|${columns.map((_, i) => (i >= rightAlignedFrom ? "---:" : "---")).join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

function cellRow(cell: CellResult, group: GroupResult): (string | number)[] {
  const name = `${cell.peer}<br><sub>${cell.how}</sub>`;
  if (cell.ns === undefined) return [name, `failed: ${cell.error}`, ...group.references.map(() => ""), "", "", "", ""];
  return [
    name,
    `**${duration(cell.ns.median)}**<br><sub>${duration(cell.ns.min)} – ${duration(cell.ns.max)}</sub>`,
    ...group.references.map((reference) => ratio(cell.ratios[reference.label])),
    significant(cell.gc.perSecond),
    significant(cell.gc.pauseMsPerSecond),
    mebibytes(cell.peakJsBytes),
    cell.linearBytes === 0 ? "—" : mebibytes(cell.linearBytes),
  ];
}

function groupTables(group: GroupResult): string {
  const columns = [
    "peer", `per ${group.unit}: median<br><sub>min – max of rounds</sub>`,
    ...group.references.map((reference) => `time ÷ ${reference.label}`),
    "GCs per s", "GC pause ms per s", "peak JS heap + buffers", "linear memory",
  ];
  return [
    `### ${group.variant}`,
    table(columns, group.cells.map((cell) => cellRow(cell, group))),
    ...group.extras.map(extraTable),
  ].join("\n\n");
}

function extraTable(extra: Extra): string {
  return `**${extra.title}**\n\n${table(extra.columns, extra.rows)}${extra.note === undefined ? "" : `\n\n${extra.note}`}`;
}

function section(result: SectionResult, chart: string | undefined): string {
  return [
    `## ${result.title}`,
    result.description,
    ...(chart === undefined ? [] : [`![${result.title}: time per operation, log scale](${chart})`]),
    ...result.groups.map(groupTables),
  ].join("\n\n");
}

function targetsSection(targets: TargetResult[]): string {
  const missed = targets.filter((target) => target.status === "missed");
  const notes = [...new Set(missed.map((target) => MISSED_TARGET_NOTES[noteKey(target.id)]))].filter((note) => note !== undefined);
  return [
    "## Targets",
    "Reported against, not asserted. Ratios are times: below 1 is faster than the reference.",
    table(["target", "measured", "status", "short by"],
      targets.map((t) => [t.target, t.measured, STATUS[t.status], t.shortfall ?? ""]), 99),
    ...(notes.length === 0 ? [] : ["### Where targets are missed, what costs the time", ...notes]),
  ].join("\n\n");
}

/** Notes are keyed by target id without its live-count suffix: "gpa-fast-tlsf". */
const noteKey = (id: string) => id.replace(/-\d+$/, "");

function method(run: RunResult): string {
  const { rounds, cpuTimeMs, minSamples, gcWindowMs } = run.settings;
  return [
    "## How the figures are taken",
    [
      `- Every peer runs in this one process. The cells of a group are measured in ${rounds} rounds, `
        + "interleaved and in a rotated order each round, after a full collection (`--expose-gc`).",
      `- A round is one mitata measurement (≥ ${cpuTimeMs} ms and ≥ ${minSamples} samples); its mean `
        + "time per call (all samples but the two fastest and two slowest), divided by the operations per "
        + "call, is the round's figure. The mean, because collector pauses hit some calls and not others: a "
        + "median of calls would leave out the cost garbage adds. Tables give the median of the rounds in "
        + "bold and the fastest and slowest round below it.",
      "- Ratios are times from the same run. Against a reference in the same group they are the median "
        + "of the per-round ratios (both cells were measured in the same round, so a slow moment of the "
        + "machine cancels out); against a reference in another group, the ratio of the two medians.",
      `- Garbage collections are counted apart from the timing: each cell runs alone for ${gcWindowMs} ms `
        + "more while a `PerformanceObserver` on `\"gc\"` records every collection; the table gives "
        + "collections and milliseconds of pause per second of that work. Peak JS memory is sampled in "
        + "the same window: V8 heap used plus ArrayBuffer memory, above what was live before it.",
      "- Linear memory is the peer's WebAssembly memory (or, for JS peers, its ArrayBuffer) afterwards.",
      "- Before the rounds every cell runs once untimed (set-up: growing memory, warming the JIT), then "
        + "once with its result checked against the value every peer must produce; it is checked again "
        + "after the rounds. A failed cell shows its error instead of figures.",
      `- The TLSF peer is AssemblyScript's \`heap.alloc\`/\`heap.free\`/\`heap.realloc\` (${TLSF_BUILD}), `
        + "called from JavaScript once per operation, like wasm-arena's raw path. Its memory is shared, as "
        + "wasm-arena's is under the `shared` view strategy, so that its growth never detaches a buffer: in V8 "
        + "the first detached ArrayBuffer in a process turns off the typed-array fast path for the rest of "
        + "the process (on this machine one growth of a plain memory made the computeResult floor at 1 Ki 2.9× slower), which would "
        + "tax every peer measured after it. Nothing in a run detaches a buffer.",
    ].join("\n"),
  ].join("\n\n");
}

export function resultsMarkdown(run: RunResult, targets: TargetResult[], charts: Map<string, string>): string {
  const env = run.environment;
  const heading = run.mode === "quick"
    ? "> **Quick run**: proves every workload still works. Too few samples to quote; run `npm run bench` for figures."
    : `> One full run of \`npm run bench\`, ${run.startedAt.slice(0, 10)}, ${Math.round(run.seconds / 60)} min.`;
  return [
    "# wasm-arena benchmarks",
    heading,
    `**Machine:** ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.os} · **Node** ${env.node} `
      + `(V8 ${env.v8}) · **wasm-arena view strategy:** \`${env.viewStrategy}\` · **commit** ${env.commit} · `
      + `mitata ${env.mitata} · AssemblyScript ${env.assemblyscript}`,
    targetsSection(targets),
    ...run.sections.map((result) => section(result, charts.get(result.id))),
    method(run),
    "## Reproduce",
    [
      "```sh",
      "npm ci",
      "npm run bench                # full run: writes bench/results/ (latest.json, RESULTS.md, *.svg)",
      "npm run bench -- --quick     # seconds per cell instead of minutes; writes bench/.cache/quick/",
      "npm run bench -- --only gpa  # one section (batch, reset, compute, gpa)",
      "npm run build && node --cpu-prof --expose-gc --import tsx bench/run.ts --only batch   # profile it",
      "```",
    ].join("\n"),
    "",
  ].join("\n\n");
}
