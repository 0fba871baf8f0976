// `npm run bench:strategies [-- --quick]`: the hot path's targets (processBatch and computeResult)
// under every view strategy, on this Node and on Node 26, each pair in a process of its own (no
// strategy's JIT feedback or detached buffers reach another). Writes STRATEGIES.md beside
// RESULTS.md (bench/results/, or bench/.cache/strategies-quick/ for a quick run); a strategy a Node
// does not support is listed as such.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkTargets, type TargetResult } from "./report/targets";
import type { RunResult } from "./harness/results";

const quick = process.argv.includes("--quick");
const root = resolve(import.meta.dirname, "..");
const outDir = join(root, quick ? "bench/.cache/strategies-quick" : "bench/results");
const STRATEGIES = ["resizable", "shared", "plain"] as const;
/** This process's Node, and Node 26 from the npm registry (scripts/with-node.mjs). */
const NODES = [
  { name: `node${process.versions.node.split(".")[0]}`, prefix: [process.execPath] },
  { name: "node26", prefix: [process.execPath, join(root, "scripts/with-node.mjs"), "26", "--", "node"] },
];

interface Measured {
  node: string;
  strategy: string;
  targets?: TargetResult[];
  error?: string;
}

const started = Date.now();
const measured: Measured[] = [];
for (const { name, prefix } of NODES) {
  for (const strategy of STRATEGIES) {
    const out = join(root, "bench/.cache/strategies", `${name}-${strategy}${quick ? "-quick" : ""}`);
    const args = ["--expose-gc", "--import", "tsx/esm", join(root, "bench/run.ts"), "--only", "^(batch|compute)$",
      "--strategy", strategy, "--out", out, ...(quick ? ["--quick"] : [])];
    console.log(`\n== ${name}, "${strategy}"`);
    const run = spawnSync(prefix[0], [...prefix.slice(1), ...args], { cwd: root, stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" });
    if (run.status !== 0) {
      const reason = /viewStrategy "\w+" is not available here[^\n]*/.exec(run.stderr)?.[0] ?? run.stderr.trim().split("\n").at(-1) ?? "failed";
      console.log(`   ${reason}`);
      measured.push({ node: name, strategy, error: reason });
      continue;
    }
    const result = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as RunResult;
    measured.push({ node: `Node ${result.environment.node}`, strategy, targets: checkTargets(result) });
  }
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "STRATEGIES.md"), markdown(measured, Math.round((Date.now() - started) / 60_000)));
console.log(`\nwrote ${join(outDir, "STRATEGIES.md")}`);

/** One table: a row per target, a column per Node and strategy that ran. */
function markdown(runs: Measured[], minutes: number): string {
  const ran = runs.filter((r) => r.targets !== undefined);
  const rows = ran[0]?.targets?.filter((t) => ran.some((r) => r.targets!.find((u) => u.target === t.target)?.status !== "not measured")) ?? [];
  const mark = { met: "✅", missed: "❌", "not measured": "—" };
  const cell = (run: Measured, target: string) => {
    const found = run.targets!.find((t) => t.target === target);
    return found === undefined ? "—" : `${mark[found.status]} ${found.measured}`;
  };
  return [
    "# The hot path under every view strategy",
    quick
      ? "> **Quick run**: proves every pair still runs. Too few samples to quote; run `npm run bench:strategies` for figures."
      : `> One run of \`npm run bench:strategies\`, ${new Date(started).toISOString().slice(0, 10)}, ${minutes} min, on the machine of [RESULTS.md](RESULTS.md).`,
    "The processBatch and computeResult targets of [RESULTS.md](RESULTS.md), each Node and view strategy in a process of its own "
      + "(`npm run bench -- --only \"^(batch|compute)$\" --strategy <strategy>`, Node 26 through `scripts/with-node.mjs`). "
      + "Ratios are paired within each process; what costs the time where a target is missed: [bench/README.md](../README.md#where-targets-are-missed).",
    [
      `| target | ${ran.map((r) => `${r.node}<br>\`"${r.strategy}"\``).join(" | ")} |`,
      `|---|${ran.map(() => "---|").join("")}`,
      ...rows.map((t) => `| ${t.target} | ${ran.map((r) => cell(r, t.target)).join(" | ")} |`),
    ].join("\n"),
    runs.filter((r) => r.error !== undefined).map((r) => `- ${r.node}, \`"${r.strategy}"\`: not measured (${r.error}).`).join("\n"),
    "",
  ].join("\n\n");
}
