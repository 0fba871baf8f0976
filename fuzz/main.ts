// The model-based fuzzer's command line: runs seeds, shows progress on one line, shrinks and saves
// each failure, prints a summary, and exits non-zero if any seed failed.
//
//   npm run fuzz -- --ops 1000000 --seeds 8

import { readFileSync } from "node:fs";
import { parseArgs } from "./args";
import { availableStrategies, configFor } from "./config";
import { enabledBadKinds } from "./bad-kinds";
import { replay, runSeed, type RunFailure } from "./run";
import { shrink } from "./shrink";
import { pseudoCode } from "./pseudo";
import { saveFailure, type FailureFile } from "./report";

const args = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`fuzz: ${(error as Error).message}\nusage: npm run fuzz -- --ops N --seed S [--seeds K] [--strategy plain|shared|resizable] `
      + "[--every K] [--known-defects on|off] [--all-bad-calls] [--bad-calls a,b] [--bad-rate F] [--shrink-seconds T] [--replay file.json]");
    process.exit(2);
  }
})();
const out = process.stdout;

if (args.replay !== null) {
  const file = JSON.parse(readFileSync(args.replay, "utf8")) as FailureFile;
  const failure = replay(file.config, file.ops, 1);
  out.write(`${pseudoCode(file.config, file.ops)}\n\n${failure === null ? "passes now" : `fails at op ${failure.step}: ${failure.message}`}\n`);
  process.exit(failure === null ? 0 : 1);
}

const strategies = args.strategies ?? availableStrategies();
const badKinds = enabledBadKinds(args.knownDefects, args.badCalls);
const perSeed = Math.ceil(args.ops / args.seeds);
const started = Date.now();
let done = 0;
let lastDraw = 0;
const failures: { seed: number; failure: RunFailure }[] = [];
const counts = new Map<string, number>();

function progress(seed: number, step: number, force = false): void {
  const now = Date.now();
  if (!force && now - lastDraw < 250) return;
  lastDraw = now;
  const total = done + step;
  const rate = Math.round(total / Math.max(0.001, (now - started) / 1000));
  out.write(`\rseed ${seed} | ${total.toLocaleString("en")}/${(perSeed * args.seeds).toLocaleString("en")} ops | ${rate.toLocaleString("en")} ops/s | ${failures.length} failed   `);
}

out.write(`fuzz: ${args.seeds} seed(s) from ${args.seed}, ${perSeed} ops each, strategies ${strategies.join("/")}, validate every ${args.every}, bad calls: ${badKinds.join(", ") || "none"}\n`);
for (let i = 0; i < args.seeds; i++) {
  const config = configFor(args.seed + i, strategies);
  const result = runSeed(config, {
    ops: perSeed, every: args.every,
    gen: { badKinds, badRate: args.badRate, liveBudget: config.maximumBytes === null ? 48 << 20 : config.maximumBytes >> 1 },
    onStep: (step) => progress(config.seed, step),
  });
  for (const [event, n] of result.counts) counts.set(event, (counts.get(event) ?? 0) + n);
  if (result.failure === null) {
    done += perSeed;
    continue;
  }
  const failure = result.failure;
  failures.push({ seed: config.seed, failure });
  done += failure.step;
  out.write(`\n\nFAILED seed ${config.seed} (${config.strategy}${config.maximumBytes === null ? "" : `, maximumBytes ${config.maximumBytes}`}) at step ${failure.step}: ${failure.message}\n`);
  out.write(`shrinking ${failure.step + 1} ops (up to ${args.shrinkSeconds} s)…\n`);
  const shrunk = shrink(config, result.ops, failure, args.shrinkSeconds);
  const path = saveFailure({ config, failure: shrunk.failure, originalStep: failure.step, ops: shrunk.ops });
  out.write(`shrunk to ${shrunk.ops.length} ops in ${shrunk.replays} replays; fails with: ${shrunk.failure.message}\n`);
  out.write(`${pseudoCode(config, shrunk.ops)}\n`);
  out.write(`saved ${path}; replay with: npm run fuzz -- --replay ${path}\n\n`);
}
progress(args.seed + args.seeds - 1, 0, true);
const coverage = [...counts].sort(([x], [y]) => x.localeCompare(y)).map(([event, n]) => `${event} ${n}`);
out.write(`\ncoverage: ${coverage.join(", ")}`);
const seconds = (Date.now() - started) / 1000;
out.write(`\n${failures.length === 0 ? "ok" : "FAILED"}: ${done.toLocaleString("en")} ops over ${args.seeds} seed(s) in ${seconds.toFixed(1)} s `
  + `(${Math.round(done / seconds).toLocaleString("en")} ops/s)${failures.map((f) => `\n  seed ${f.seed}: ${f.failure.check}`).join("")}\n`);
process.exit(failures.length === 0 ? 0 : 1);
