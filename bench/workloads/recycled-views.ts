// Recycled views, paired: what alloc() costs with recycling on and off, on a scope that repeats
// (the same allocations every time: recycling hands out cached views) and on one that does not
// (lengths change every scope, so every offset moves: recycling only compares and records).
//
//   node --expose-gc --import tsx/esm bench/workloads/recycled-views.ts [--quick] [--strategy plain]
//
// (after `npm run build`: it measures the package's bundle, as users get it). Every scope makes
// 1 + SCOPE small allocations (12 to 64 bytes, the gl-matrix temporaries of issue 11) on one arena,
// writes one element of each and resets with "retain_capacity". In the scope that does not repeat,
// the first allocation's length changes every scope (a period of 97 scopes), so every later
// offset moves: recycling compares, and records one scope in up to 64. Each arena has its own heap. Each round times both arenas of a pair back to back,
// in alternating order, for the same number of scopes, in CPU time of the process (a loaded
// machine deschedules it; collector threads count); the figures are medians over rounds of ns per
// allocation, the paired ratio on ÷ off per round (median, and the middle half of the rounds), and
// the collections (Node "gc" entries) per 1000 scopes over all rounds.

import { PerformanceObserver, performance } from "node:perf_hooks";
import { ArenaAllocator, Heap, type Allocator, type ViewStrategy } from "wasm-arena";

const quick = process.argv.includes("--quick");
const strategyAt = process.argv.indexOf("--strategy");
const viewStrategy = strategyAt < 0 ? undefined : process.argv[strategyAt + 1] as ViewStrategy;
const SCOPE = 1000;
const ROUNDS = quick ? 9 : 61;
const SCOPES_PER_ROUND = quick ? 50 : 200;
const WARMUP_SCOPES = quick ? 200 : 2000;

/** Element counts of the temporaries, cycled: vec3, quat, mat3, mat4, vec2, vec4 of f32, and f64 pairs. */
const SHAPES: [kind: "f32" | "f64", n: number][] = [["f32", 3], ["f32", 4], ["f32", 9], ["f32", 16], ["f64", 2], ["f32", 3], ["f64", 4], ["f32", 4]];

/**
 * One scope: 1 + SCOPE allocations. With `varying` the first one is `varying` (0 to 96) doubles
 * longer, so every later offset moves by a multiple of 8 bytes, which no alignment absorbs: no
 * allocation has the offset it had in the last 96 scopes. Else every scope is the same.
 */
function scope(a: Allocator, varying: number): number {
  let sum = a.alloc("f64", 1 + varying).length;
  for (let i = 0; i < SCOPE; i++) {
    const [kind, n] = SHAPES[i & 7];
    const view = a.alloc(kind, n);
    view[0] = i;
    sum += view[0];
  }
  return sum;
}

interface Runner { name: string; run(scopes: number): number }

function runner(name: string, recycleViews: boolean, repeating: boolean): Runner {
  const heap = Heap.create({ initialBytes: 32 << 20, viewStrategy });
  const arena = new ArenaAllocator(heap.pageAllocator, { recycleViews });
  const a = arena.allocator();
  let count = 0;
  // What the bench claims: with recycling, a repeating scope gets its last views back; else never.
  const probe = () => { const view = a.alloc("f32", 3); arena.reset("retain_capacity"); return view; };
  const recycled = probe() === probe();
  if (recycled !== recycleViews) throw new Error(`the arena ${recycleViews ? "does not recycle" : "recycles"} views`);
  return {
    name,
    run(scopes) {
      let sum = 0;
      for (let s = 0; s < scopes; s++) {
        sum += scope(a, repeating ? 0 : count++ % 97);
        arena.reset("retain_capacity");
      }
      return sum;
    },
  };
}

const gcStarts: number[] = [];
const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcStarts.push(e.startTime); });
observer.observe({ entryTypes: ["gc"] });
const gc = (globalThis as { gc?: () => void }).gc;

interface Sample { ns: number; from: number; to: number }

function time(r: Runner, scopes: number): Sample {
  gc?.();
  const from = performance.now();
  const cpu = process.cpuUsage();
  const sink = r.run(scopes);
  const used = process.cpuUsage(cpu);
  const to = performance.now();
  if (sink === 0) throw new Error("unreachable");
  return { ns: ((used.user + used.system) * 1e3) / (scopes * (SCOPE + 1)), from, to };
}

const median = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); return s[s.length >> 1]; };

async function pair(label: string, on: Runner, off: Runner) {
  on.run(WARMUP_SCOPES);
  off.run(WARMUP_SCOPES);
  const samples: { on: Sample; off: Sample }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      const a = time(on, SCOPES_PER_ROUND);
      samples.push({ on: a, off: time(off, SCOPES_PER_ROUND) });
    } else {
      const b = time(off, SCOPES_PER_ROUND);
      samples.push({ on: time(on, SCOPES_PER_ROUND), off: b });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const gcs = (pick: (s: { on: Sample; off: Sample }) => Sample) => samples
    .reduce((sum, s) => sum + gcStarts.filter((t) => t >= pick(s).from && t < pick(s).to).length, 0) * 1000 / (ROUNDS * SCOPES_PER_ROUND);
  const ratios = samples.map((s) => s.on.ns / s.off.ns).sort((x, y) => x - y);
  const fmt = (x: number) => x.toFixed(2);
  console.log(`${label.padEnd(14)} on ${fmt(median(samples.map((s) => s.on.ns)))} ns/alloc`
    + `  off ${fmt(median(samples.map((s) => s.off.ns)))} ns/alloc`
    + `  on÷off ${fmt(median(ratios))}× (middle half ${fmt(ratios[ROUNDS >> 2])}–${fmt(ratios[(3 * ROUNDS) >> 2])})`
    + `  GCs/1000 scopes on ${gcs((s) => s.on).toFixed(1)} off ${gcs((s) => s.off).toFixed(1)}`);
}

console.log(`recycled views: ${SCOPE + 1} allocations per scope, ${ROUNDS} rounds of ${SCOPES_PER_ROUND} scopes, `
  + `Node ${process.versions.node}, view strategy "${Heap.create({ viewStrategy }).viewStrategy}"${gc === undefined ? " (no --expose-gc)" : ""}`);
await pair("repeating", runner("on", true, true), runner("off", false, true));
await pair("non-repeating", runner("on", true, false), runner("off", false, false));
observer.disconnect();
