// `npm run bench [-- --quick] [-- --only <regex>] [-- --out <dir>]`: measures every workload
// against its peers in this one process and writes latest.json, RESULTS.md and the charts.

import { relative } from "node:path";
import { settingsFromArgs } from "./settings";
import { describeEnvironment } from "./harness/environment";
import { measureGroup } from "./harness/measure";
import { computeRatios } from "./harness/ratios";
import type { Section } from "./harness/cell";
import type { RunResult, SectionResult } from "./harness/results";
import { buildTlsf, TLSF_BUILD } from "./peers/tlsf";
import { batchSection } from "./workloads/batch/section";
import { resetLoopSection } from "./workloads/reset-loop";
import { computeResultSection } from "./workloads/compute-result/section";
import { gpaSection } from "./workloads/gpa/section";
import { writeResults } from "./report/write";

const settings = settingsFromArgs(process.argv.slice(2));
const log = (line: string) => console.log(line);
const started = Date.now();

log(`wasm-arena benchmarks, ${settings.mode} run: ${settings.rounds} rounds per cell, `
  + `${settings.cpuTimeMs} ms of samples per round`);
if (buildTlsf()) log(`compiled the TLSF peer (${TLSF_BUILD})`);
const environment = describeEnvironment();
log(`${environment.cpu} × ${environment.cores}, Node ${environment.node}, view strategy "${environment.viewStrategy}"`);

const sections: Section[] = [
  batchSection(),
  resetLoopSection(settings.resetBatches),
  computeResultSection(settings.computeSizes),
  gpaSection(settings.gpaLive),
].filter((s) => settings.only?.test(s.id) ?? true);
const results: SectionResult[] = [];
for (const section of sections) {
  log(`\n${section.title}`);
  const result: SectionResult = { id: section.id, title: section.title, description: section.description, groups: [] };
  for (const build of section.groups) {
    const group = build();
    const groupStarted = Date.now();
    log(`  ${group.variant}`);
    result.groups.push(await measureGroup(group, settings, log));
    log(`  (${((Date.now() - groupStarted) / 1000).toFixed(1)} s)`);
  }
  results.push(result);
}
computeRatios(results);

const run: RunResult = {
  mode: settings.mode,
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  environment,
  settings: { rounds: settings.rounds, cpuTimeMs: settings.cpuTimeMs, minSamples: settings.minSamples,
    gcWindowMs: settings.gcWindowMs },
  sections: results,
};
const { files, targets } = writeResults(run, settings.outDir);
log("\ntargets:");
for (const target of targets) log(`  ${target.status === "met" ? "✓" : target.status === "missed" ? "✗" : "-"} ${target.target}: ${target.measured}`);
log(`\nwrote ${files.map((file) => relative(process.cwd(), file)).join(", ")} (${run.seconds} s)`);
