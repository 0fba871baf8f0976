// The soak: README's batch workload with every reset mode in rotation, beside GPA churn, for
// --minutes; a line of figures every --interval seconds; exit 1 on drift (drift.ts).
import { parseSoakArgs } from "./args";
import { BatchWorkload, BATCH_ALLOCS } from "./batch";
import { ChurnWorkload } from "./churn";
import { GcCounter } from "./gc";
import { DriftCheck } from "./drift";
import { formatLine, mib } from "./line";

const CHURN_OPS = 5_000;
const VALIDATE_EVERY = 10;
/** The warm-up: the first minute, or the first half of a shorter run. */
const warmupMsFor = (minutes: number): number => Math.min(60_000, (minutes * 60_000) / 2);
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<number> {
  const args = parseSoakArgs(process.argv.slice(2));
  const batch = new BatchWorkload();
  const churn = new ChurnWorkload(args.seed);
  const drift = new DriftCheck(warmupMsFor(args.minutes));
  const gcs = new GcCounter();
  const started = performance.now();
  const endAt = started + args.minutes * 60_000;
  let nextLine = started + args.intervalSeconds * 1000;
  let [batches, ops, opsAtLine, lineAt, checksum] = [0, 0, 0, started, 0];
  console.log(`soak: ${args.minutes} min, seed ${args.seed}, warm-up ${warmupMsFor(args.minutes) / 1000} s`);

  while (performance.now() < endAt) {
    const { mode, checksum: c } = batch.run();
    checksum = (checksum + c) | 0;
    if (args.injectDrift && performance.now() - started > warmupMsFor(args.minutes)) batch.heap.pageAllocator.rawAlloc(65536);
    const pagesInUseAfterReset = batch.heap.stats().pagesInUseBytes;
    churn.run(CHURN_OPS);
    batches++;
    ops += BATCH_ALLOCS + CHURN_OPS;
    if (batches % VALIDATE_EVERY === 0) { batch.heap.validate(); churn.heap.validate(); }
    const gpaStats = churn.gpa.stats();
    drift.check({
      elapsedMs: performance.now() - started, batch: batches, mode,
      batchMemoryBytes: batch.heap.stats().memoryBytes, churnMemoryBytes: churn.heap.stats().memoryBytes,
      pagesInUseAfterReset, gpaRequested: churn.gpa.totalRequestedBytes, gpaLive: gpaStats.liveAllocations,
      churnRequested: churn.requestedBytes, churnLive: churn.liveAllocations,
    });
    await yieldToEventLoop(); // lets the gc observer's entries arrive
    const now = performance.now();
    if (now >= nextLine) {
      console.log(formatLine({
        elapsedS: (now - started) / 1000, batches,
        heapBytes: batch.heap.stats().memoryBytes + churn.heap.stats().memoryBytes,
        gpaLiveBytes: churn.gpa.totalRequestedBytes, gpaLiveAllocations: gpaStats.liveAllocations,
        arenaCapacity: batch.arena.queryCapacity(), opsPerSecond: (ops - opsAtLine) / ((now - lineAt) / 1000),
        gc: gcs.take(), jsHeapUsed: process.memoryUsage().heapUsed, drift: drift.count,
      }));
      [opsAtLine, lineAt, nextLine] = [ops, now, now + args.intervalSeconds * 1000];
    }
  }
  gcs.stop();
  const seconds = (performance.now() - started) / 1000;
  console.log(`done: ${batches} batches, ${ops} operations in ${seconds.toFixed(1)} s (${(ops / seconds / 1e6).toFixed(2)} M ops/s), `
    + `batch heap ${mib(batch.heap.stats().memoryBytes)}, churn heap ${mib(churn.heap.stats().memoryBytes)}, checksum ${checksum}`);
  if (drift.count === 0) { console.log("no drift"); return 0; }
  console.log(`DRIFT: ${drift.count} finding(s)`);
  for (const f of drift.findings) console.log(`  ${f}`);
  return 1;
}

process.exitCode = await main();
