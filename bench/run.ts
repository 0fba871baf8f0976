// `npm run bench [-- --quick] [-- --only <regex>] [-- --strategy <s>] [-- --out <dir>]`: measures every workload against its peers in
// this one process and writes latest.json, RESULTS.md and one chart per section (bench/README.md).

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { settingsFromArgs } from "./settings";
import { describeEnvironment } from "./harness/environment";
import { useStrategy } from "./harness/strategy";
import { measureGroup } from "./harness/measure";
import { computeRatios } from "./harness/ratios";
import type { RunResult, SectionResult } from "./harness/results";
import { buildTlsf, TLSF_BUILD } from "./peers/tlsf";
import { batchSection } from "./workloads/batch/section";
import { resetLoopSection } from "./workloads/reset-loop";
import { computeResultSection } from "./workloads/compute-result/section";
import { gpaSection } from "./workloads/gpa/section";
import { checkTargets } from "./report/targets";
import { resultsMarkdown } from "./report/markdown";
import { sectionChart } from "./report/svg";

const settings = settingsFromArgs(process.argv.slice(2));
useStrategy(settings.strategy);
const log = (line: string) => console.log(line);
const started = Date.now();

log(`wasm-arena benchmarks, ${settings.mode} run: ${settings.rounds} rounds per cell, `
  + `${settings.cpuTimeMs} ms of samples per round`);
if (buildTlsf()) log(`compiled the TLSF peer (${TLSF_BUILD})`);
const environment = describeEnvironment();
log(`${environment.cpu} × ${environment.cores}, Node ${environment.node}, view strategy "${environment.viewStrategy}"`);

const sections = [
  batchSection(),
  resetLoopSection(settings.resetBatches),
  computeResultSection(settings.computeSizes),
  gpaSection(settings.gpaLive),
].filter((s) => settings.only?.test(s.id) ?? true);
const results: SectionResult[] = [];
for (const { groups, ...section } of sections) {
  log(`\n${section.title}`);
  const result: SectionResult = { ...section, groups: [] };
  for (const build of groups) {
    const group = build();
    const groupStarted = Date.now();
    log(`  ${group.variant}`);
    result.groups.push(await measureGroup(group, settings, log));
    log(`  (${((Date.now() - groupStarted) / 1000).toFixed(1)} s)`);
  }
  results.push(result);
}
computeRatios(results);

const { rounds, cpuTimeMs, minSamples, gcWindowMs, outDir } = settings;
const run: RunResult = {
  mode: settings.mode,
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  environment,
  settings: { rounds, cpuTimeMs, minSamples, gcWindowMs },
  sections: results,
};
const targets = checkTargets(run);
// Written last, so a run that fails part-way leaves the previous results as they were.
const readme = relative(outDir, join(dirname(fileURLToPath(import.meta.url)), "README.md"));
const files = new Map([["latest.json", JSON.stringify(run, null, 2) + "\n"]]);
for (const section of results) files.set(`${section.id}.svg`, sectionChart(section, run));
files.set("RESULTS.md", resultsMarkdown(run, targets, readme));
mkdirSync(outDir, { recursive: true });
for (const [name, content] of files) writeFileSync(join(outDir, name), content);

log("\ntargets:");
for (const { status, target, measured } of targets) log(`  ${{ met: "✓", missed: "✗", "not measured": "-" }[status]} ${target}: ${measured}`);
log(`\nwrote ${[...files.keys()].map((name) => relative(process.cwd(), join(outDir, name))).join(", ")} (${run.seconds} s)`);
