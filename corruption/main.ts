// The corruption fuzzer: breaks one metadata word per trial and checks that the library then
// completes, or refuses with a typed error (or a debug assertion), and never traps bare, hangs
// or hands out overlapping memory. See corruption/README.md.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "./args";
import { compileCore, type Build } from "./build";
import { runPool } from "./pool";
import { Tally, describeFailure, formatTable, topSignatures } from "./report";
import { progress } from "./progress";

const SHOWN_FAILURES = 60;

async function batch(build: Build, trials: number[], args: ReturnType<typeof parseArgs>): Promise<Tally> {
  const wasm = compileCore(build);
  const env = { ...process.env, CORRUPTION_CORE_WASM: wasm, CORRUPTION_CORE_BUILD: build };
  const tally = new Tally();
  const started = Date.now();
  const tick = progress(build, trials.length, started);
  await runPool({ seed: args.seed, workers: args.workers, timeoutMs: args.timeoutMs, env }, trials, (r) => {
    tally.add(r);
    tick(tally);
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n== ${build}: ${trials.length} trials in ${seconds.toFixed(1)} s (${(trials.length / seconds).toFixed(1)} trials/s), seed ${args.seed}`);
  return tally;
}

function print(build: Build, seed: number, tally: Tally, verbose: boolean): void {
  console.log(formatTable(tally));
  const failures = tally.failures();
  if (failures.length === 0) return;
  console.log(`\ntop failure signatures (region | operation | outcome: error):\n${topSignatures(tally, 10)}`);
  console.log(`\nfailures (${failures.length}):`);
  for (const r of failures.slice(0, verbose ? failures.length : SHOWN_FAILURES)) {
    console.log(describeFailure(build, seed, r));
    if (verbose) console.log(r.detail);
  }
  if (!verbose && failures.length > SHOWN_FAILURES) {
    const file = join(tmpdir(), `corruption-${build}-seed${seed}.json`);
    writeFileSync(file, JSON.stringify(failures, null, 1));
    console.log(`… ${failures.length - SHOWN_FAILURES} more: all of them in ${file}`);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const trials = args.trial !== null ? [args.trial] : Array.from({ length: args.trials }, (_, i) => i);
  let failed = 0;
  for (const build of args.builds) {
    const tally = await batch(build, trials, args);
    print(build, args.seed, tally, args.trial !== null);
    failed += tally.failures().length;
  }
  if (failed > 0 && args.reportOnly) console.log(`\n${failed} failing trials (--report-only: exit 0)`);
  return failed > 0 && !args.reportOnly ? 1 : 0;
}

process.exitCode = await main();
