// `npm run bench:real [-- --quick]`: gl-matrix and fft.js workloads in Node (three processes per
// view strategy) and in headless Chromium (three browsers per strategy), pooled (pool.ts); writes bench/results/real.json,
// REAL.md and one chart per run. A quick run (few rounds and frames) writes to bench/.cache/real-quick/;
// `--report bench/results/real.json` only writes REAL.md and the charts again from recorded figures.

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runChromium, CHROMIUM } from "./chromium";
import { realOutDir } from "./out-dir";
import { poolRuns } from "./pool";
import { chart, chartFile, realMarkdown, targets, runName, type Machine, type PlatformRun } from "./report";

const quick = process.argv.includes("--quick");
const settings = quick ? { rounds: 2, warmupFrames: 1, warmupMs: 20, frameScale: 0.05 } : { rounds: 11, warmupFrames: 5, warmupMs: 300, frameScale: 1 };
/** Processes (browsers) per platform and strategy, whose rounds are pooled (pool.ts). */
const PROCESSES = quick ? 1 : 3;
const root = resolve(import.meta.dirname, "../..");
const outDir = realOutDir(quick);
const started = Date.now();
const log = (line: string) => console.log(line);
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
// "+dirty": the library measured (dist/, built from the working tree) differs from the commit.
const commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--", "src", "assembly", "bindings") === "" ? "" : "+dirty");

const NODE_STRATEGIES = ["shared", "plain"]; // Node 20 has no resizable WebAssembly buffers
const CHROMIUM_STRATEGIES = ["plain", "resizable", "shared"];

async function measure(): Promise<{ machine: Machine; runs: PlatformRun[] }> {
  log(`real-library workloads, ${quick ? "quick" : "full"} run: ${settings.rounds} rounds in each of ${PROCESSES} processes, frame scale ${settings.frameScale}`);
  // The processes of one platform and strategy take turns with the others', so that a slow spell
  // of the machine falls on several of them.
  const samples = new Map<string, PlatformRun[]>();
  const add = (run: PlatformRun) => {
    const key = `${run.platform}/${run.strategy}`;
    samples.set(key, [...(samples.get(key) ?? []), run]);
  };
  for (let p = 1; p <= PROCESSES; p++) {
    log(`process ${p} of ${PROCESSES}`);
    for (const strategy of NODE_STRATEGIES) {
      const out = join(tmpdir(), `wasm-arena-real-node-${process.pid}-${strategy}.json`);
      try {
        execFileSync(process.execPath, ["--expose-gc", "--import", "tsx/esm", join(root, "bench/real/node.ts"), strategy,
          String(settings.rounds), String(settings.warmupFrames), String(settings.warmupMs), String(settings.frameScale), out],
          { stdio: "inherit", cwd: root });
        add(JSON.parse(readFileSync(out, "utf8")));
      } catch (error) {
        add({ platform: "node", strategy, version: process.versions.node, error: String(error).split("\n")[0] });
      }
    }
    for (const run of await runChromium(CHROMIUM_STRATEGIES, settings, log)) add(run as PlatformRun);
  }
  const runs = [...samples.values()].map(poolRuns);
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1]?.trim() ?? "unknown";
  const machine: Machine = {
    cpu, cores: Number(execFileSync("nproc", { encoding: "utf8" }).trim()), node: process.versions.node,
    chromium: runs.find((r) => r.platform === "chromium")?.version ?? execFileSync(CHROMIUM, ["--version"], { encoding: "utf8" }).trim(),
    command: `npm run bench:real${quick ? " -- --quick" : ""}`, startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000), quick, rounds: settings.rounds, processes: PROCESSES, commit,
  };
  return { machine, runs };
}

// `--report <real.json>` writes REAL.md and the charts again from a run's figures, measuring nothing.
const from = process.argv.indexOf("--report");
const { machine, runs } = from > 0 ? JSON.parse(readFileSync(process.argv[from + 1], "utf8")) as { machine: Machine; runs: PlatformRun[] } : await measure();
mkdirSync(outDir, { recursive: true });
const files = new Map<string, string>([["REAL.md", realMarkdown(runs, machine)]]);
if (from < 0) files.set("real.json", JSON.stringify({ machine, settings, runs }, null, 1) + "\n");
for (const run of runs) if (run.workloads !== undefined) files.set(chartFile(run), chart(run, machine));
for (const [name, content] of files) writeFileSync(join(outDir, name), content);

log("\ntargets (each platform's default strategy):");
for (const run of runs.filter((r) => r.strategy === r.defaultStrategy)) {
  for (const t of targets(run)) log(`  ${t.met === null ? "-" : t.met ? "✓" : "✗"} ${runName(run)} ${t.workload}: ${t.target}: ${t.measured}`);
}
log(`\nwrote ${[...files.keys()].map((name) => join(outDir, name).slice(root.length + 1)).join(", ")} (${machine.seconds} s)`);
