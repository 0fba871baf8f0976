// RESULTS.md: the machine, the targets, and one table per measured group, with the charts; the
// method and the reasons behind missed targets are prose in bench/README.md.

import type { Extra } from "../harness/cell";
import type { CellResult, GroupResult, RunResult, SectionResult } from "../harness/results";
import { TLSF_BUILD } from "../peers/tlsf";
import type { TargetResult } from "./targets";
import { duration, mebibytes, ratio, significant } from "./format";
import { fastPathVerdict } from "../harness/detach-probe";
import { profileSection } from "./profile-section";

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
  return `**${extra.title}**\n\n${table(extra.columns, extra.rows)}`;
}

function section(result: SectionResult): string {
  return [
    `## ${result.title}`,
    result.description,
    `![${result.title}: time per operation, log scale](${result.id}.svg)`,
    ...result.groups.map(groupTables),
  ].join("\n\n");
}

function targetsSection(targets: TargetResult[], readme: string): string {
  return [
    "## Targets",
    `Reported against, not asserted. Ratios are times: below 1 is faster than the reference. Where a target is `
      + `missed, [bench/README.md](${readme}#where-targets-are-missed) says what costs the time.`,
    table(["target", "measured", "status"], targets.map((t) => [t.target, t.measured, STATUS[t.status]]), 99),
  ].join("\n\n");
}

/** RESULTS.md; `readme` is the link to bench/README.md from where the file is written. */
export function resultsMarkdown(run: RunResult, targets: TargetResult[], readme: string): string {
  const env = run.environment;
  const { rounds, cpuTimeMs, minSamples, gcWindowMs } = run.settings;
  const heading = run.mode === "quick"
    ? "> **Quick run**: proves every workload still works. Too few samples to quote; run `npm run bench` for figures."
    : `> One full run of \`npm run bench\`, ${run.startedAt.slice(0, 10)}, ${Math.round(run.seconds / 60)} min.`;
  return [
    "# wasm-arena benchmarks",
    heading,
    `**Machine:** ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.os} · **Node** ${env.node} `
      + `(V8 ${env.v8}) · **wasm-arena view strategy:** \`${env.viewStrategy}\` · **commit** ${env.commit} · `
      + `mitata ${env.mitata} · AssemblyScript ${env.assemblyscript} · TLSF peer: \`${TLSF_BUILD}\``,
    `Every figure is the median of ${rounds} rounds (each ≥ ${cpuTimeMs} ms and ≥ ${minSamples} samples, the mean `
      + `per operation); collections and peak memory are counted over ${gcWindowMs} ms more of each cell alone. `
      + `How the figures are taken, and how to reproduce and profile them: [bench/README.md](${readme}). `
      + "The hot path under every view strategy and on Node 26: [STRATEGIES.md](STRATEGIES.md) (`npm run bench:strategies`)."
      + (run.fastPathSlowdown === undefined ? "" : ` V8's typed-array fast path: ${fastPathVerdict(run.fastPathSlowdown)}.`),
    targetsSection(targets, readme),
    ...run.sections.map(section),
    ...(run.batchProfile === undefined ? [] : [profileSection(run.batchProfile, readme)]),
    "",
  ].join("\n\n");
}
