// One Node run of the real-library workloads under one view strategy, in its own process (so that
// no other strategy's detached buffers or JIT feedback touch it):
//   node --expose-gc --import tsx/esm bench/real/node.ts <strategy> <rounds> <warmupFrames> <warmupMs> <frameScale> <out.json>
// Collections come from Node's "gc" performance entries (bench/harness/gc-window.ts).

import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Heap, type ViewStrategy } from "wasm-arena";
import { gc, GcWatch } from "../harness/gc-window";
import { runWorkload, type WorkloadResult } from "./measure";
import { detachProbe } from "../harness/detach-probe";
import { fftWorkload, glMatrixWorkload, scopeBackingCalls } from "./variants";

const [strategy, rounds, warmupFrames, warmupMs, frameScale, out] = process.argv.slice(2);
const heap = Heap.create({ viewStrategy: strategy as ViewStrategy, initialBytes: 64 << 20 });
const watch = new GcWatch();
const platform = { now: () => performance.now(), gc };
const settings = { rounds: Number(rounds), warmupFrames: Number(warmupFrames), warmupMs: Number(warmupMs), frameScale: Number(frameScale) };
const noUpload = () => ({ upload: () => {}, notes: () => ({}) });

const workloads: WorkloadResult[] = [];
for (const build of [() => glMatrixWorkload(heap, noUpload), () => fftWorkload(heap, 64), () => fftWorkload(heap, 1024)]) {
  const workload = build();
  const started = performance.now();
  const result = runWorkload(workload, settings, platform);
  await watch.settle();
  for (const variant of result.variants) {
    if (variant.gcWindow === undefined) continue;
    const { events, pauseMs } = watch.within({ ...variant.gcWindow, peakJsBytes: 0 });
    variant.notes = { ...variant.notes, gcs: events, gcMs: pauseMs };
  }
  workloads.push(result);
  console.log(`  node/${strategy} ${workload.id}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
watch.stop();
const stats = heap.stats();
// Last of everything timed: the probe turns the fast path off (detach-probe.ts).
const fastPathSlowdown = detachProbe(() => performance.now());
writeFileSync(out, JSON.stringify({
  platform: "node", strategy, version: process.versions.node, v8: process.versions.v8, defaultStrategy: Heap.create().viewStrategy,
  memoryGrows: stats.grows, fastPathSlowdown, scopeBackingCalls70k: { freshHeap: scopeBackingCalls(Heap.create({ viewStrategy: strategy as ViewStrategy, initialBytes: 64 << 20 }), 70_000), workloadHeap: scopeBackingCalls(heap, 70_000) }, workloads,
}));
