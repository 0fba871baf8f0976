// `npm run bench [-- --quick] [-- --only <regex>] [-- --strategy <s>] [-- --out <dir>]`: measures every workload against its peers in
// this one process and writes latest.json, RESULTS.md and one chart per section (bench/README.md).

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { settingsFromArgs } from "./settings";
import { describeEnvironment } from "./harness/environment";
import { useStrategy } from "./harness/strategy";
import { measureGroup } from "./harness/measure";
import { computeRatios } from "./harness/ratios";
import type { RunResult, SectionResult } from "./harness/results";
import { buildTlsf, TLSF_BUILD } from "./peers/tlsf";
import { detachProbe } from "./harness/detach-probe";
import { profileBatch } from "./profile/batch-profile";
import { batchSection } from "./workloads/batch/section";
import { resetLoopSection } from "./workloads/reset-loop";
import { computeResultSection } from "./workloads/compute-result/section";
import { gpaSection } from "./workloads/gpa/section";
import { checkTargets } from "./report/targets";
import { resultsMarkdown } from "./report/markdown";
import { sectionChart } from "./report/svg";
import { realOutDir } from "./real/out-dir";
import { realSection, type Machine, type PlatformRun } from "./real/report";

const benchDir = dirname(fileURLToPath(import.meta.url));
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
const batchProfile = results.some((section) => section.id === "batch") ? profileBatchCells() : undefined;
// Last of everything timed in this process: the probe turns the fast path off (detach-probe.ts).
const fastPathSlowdown = detachProbe(() => performance.now());

const { rounds, cpuTimeMs, minSamples, gcWindowMs, outDir } = settings;
const run: RunResult = {
  mode: settings.mode,
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  environment,
  settings: { rounds, cpuTimeMs, minSamples, gcWindowMs },
  sections: results,
  fastPathSlowdown,
  batchProfile,
};
const targets = checkTargets(run);
const real = runRealLibraries();
// Written last, so a run that fails part-way leaves the previous results as they were.
const readme = relative(outDir, join(benchDir, "README.md"));
const files = new Map([["latest.json", JSON.stringify(run, null, 2) + "\n"]]);
for (const section of results) files.set(`${section.id}.svg`, sectionChart(section, run));
files.set("RESULTS.md", resultsMarkdown(run, targets, readme) + (real === undefined ? "" : `\n${real}\n`));
mkdirSync(outDir, { recursive: true });
for (const [name, content] of files) writeFileSync(join(outDir, name), content);

log("\ntargets:");
for (const { status, target, measured } of targets) log(`  ${{ met: "✓", missed: "✗", "not measured": "-" }[status]} ${target}: ${measured}`);
if (real === null) {
  log("the real-library benchmark failed (above)");
  process.exitCode = 1;
}
log(`\nwrote ${[...files.keys()].map((name) => relative(process.cwd(), join(outDir, name))).join(", ")} (${run.seconds} s)`);

/** processBatch's line profile, in a process of its own. */
function profileBatchCells() {
  log(`\nline profile of processBatch (${settings.profileMs} ms per cell)`);
  return profileBatch(settings.profileMs, settings.strategy);
}

/**
 * A whole run also measures the real libraries (bench/real/main.ts, in Node and Chromium, in
 * processes of their own): RESULTS.md's section on them, or null if that run failed; undefined for
 * a run of some sections or of a forced strategy, which leaves them out.
 */
function runRealLibraries(): string | undefined | null {
  if (settings.only !== undefined || settings.strategy !== undefined) return undefined;
  const quick = settings.mode === "quick";
  log("\nreal libraries (gl-matrix, fft.js)");
  const child = spawnSync(process.execPath, ["--import", "tsx/esm", join(benchDir, "real/main.ts"), ...(quick ? ["--quick"] : [])], { stdio: "inherit" });
  if (child.status !== 0) return null;
  const realDir = realOutDir(quick);
  const { runs, machine } = JSON.parse(readFileSync(join(realDir, "real.json"), "utf8")) as { runs: PlatformRun[]; machine: Machine };
  return realSection(runs, machine, relative(outDir, realDir));
}
