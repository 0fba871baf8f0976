// `npm run bench:growth`: what one growth of a heap's memory costs code that never touches the
// heap. Growing non-shared WebAssembly memory detaches its old ArrayBuffer, and V8 keeps one
// process-wide flag (its ArrayBufferDetaching protector) that is cleared by the first detach ever
// made: from then on every optimized typed-array access in the process also checks that its
// buffer is not detached. So under "plain" the first growth may slow typed-array code everywhere in
// the process, for the rest of its life; "shared" and "resizable" memory never detaches.
//
// Each run is a fresh process (the flag cannot be set again): it times three kernels of plain
// typed-array code over ordinary ArrayBuffers, grows a heap of the strategy once (or, for the
// control, does not), and times them again. The ratio after ÷ before is taken per process, and the
// median over processes is reported. In Chromium the first kernel runs in a fresh browser's page
// around one growth of a plain WebAssembly.Memory. Writes bench/results/GROWTH.md.
//
//   node --import tsx/esm bench/growth-cost.ts --child <strategy | control>   one process, JSON out

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import os from "node:os";
import { chromium } from "playwright-core";
import { Heap, type ViewStrategy } from "wasm-arena";
import { createWorld } from "../examples/gl-matrix-frame";
import { createFilter, createSignal } from "../examples/fft-block-filter";
import { framePreallocated } from "./real/gl-frame-floors";
import { filterPreallocated, preallocate } from "./real/fft-floors";
import { CHROMIUM, CHROMIUM_ARGS } from "./real/chromium";
import { median } from "./harness/results";

/** Kernels of user code over its own typed arrays: none of them reads or writes a heap. */
const KERNELS: Record<string, () => () => number> = {
  "Int32Array loop (computeResult's, 1,024 elements, plain typed arrays)": () => {
    const input = Int32Array.from({ length: 1024 }, (_, i) => i - 512);
    const temp = new Int32Array(1024);
    return () => {
      for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
      return temp[7];
    };
  },
  "fft.js block filter, N=1024, preallocated temporaries": () => {
    const filter = createFilter(1024), input = createSignal(), output = new Float64Array(input.length);
    const temporaries = preallocate(1024);
    return () => {
      filterPreallocated(filter, input, output, temporaries);
      return output[100];
    };
  },
  "gl-matrix frame, 10,000 entities, preallocated temporaries": () => {
    const world = createWorld();
    return () => framePreallocated(world);
  },
};

const SAMPLES = 15;
/** Least time one sample of a kernel runs, ms. */
const SAMPLE_MS = 40;

/** Median ms per call of `call` over SAMPLES samples, after a warm-up. */
function time(call: () => number): number {
  let sink = 0;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) sink += call();
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < SAMPLE_MS) {
      sink += call();
      calls++;
      now = performance.now();
    }
    samples.push((now - start) / calls);
  }
  if (Number.isNaN(sink)) throw new Error("kernel produced NaN");
  return median(samples);
}

/** One process: each kernel before and after the heap grew once (or not, for the control). */
function child(mode: ViewStrategy | "control"): void {
  const heap = Heap.create({ viewStrategy: mode === "control" ? "plain" : mode, initialBytes: 1 << 20 });
  const kernels = Object.values(KERNELS).map((make) => make());
  const before = kernels.map(time);
  if (mode !== "control") heap.reserve(8 << 20);
  const after = kernels.map(time);
  const result: ChildResult = { node: process.versions.node, grew: heap.stats().grows > 0,
    times: before.map((ms, k) => ({ before: ms, after: after[k] })) };
  console.log(JSON.stringify(result));
}

/** What one process measured: ms per call of each kernel (in KERNELS' order), before and after. */
interface ChildResult {
  node: string;
  grew: boolean;
  times: { before: number; after: number }[];
}

const root = resolve(import.meta.dirname, "..");
const PROCESSES = 5;
const MODES = ["control", "plain", "shared", "resizable"] as const;
/** This process's Node, and Node 26 from the npm registry (scripts/with-node.mjs). */
const NODES = [
  { name: `Node ${process.versions.node.split(".")[0]}`, prefix: [process.execPath] },
  { name: "Node 26", prefix: [process.execPath, join(root, "scripts/with-node.mjs"), "26", "--", "node"] },
];

/**
 * In a page: the first kernel's time after ÷ before growing a plain WebAssembly.Memory once (a
 * heap's "plain" growth, without the library's bundle), or not (`grow`). It runs in the browser,
 * so it carries its own copy of the kernel and the timing, as source text: tsx would otherwise
 * wrap its closures in a helper the page does not have.
 */
const PAGE_KERNEL = `(grow) => {
  const input = Int32Array.from({ length: 1024 }, (_, i) => i - 512);
  const temp = new Int32Array(1024);
  const call = () => {
    for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
    return temp[7];
  };
  const time = () => {
    let sink = 0;
    for (let i = 0; i < 20000; i++) sink += call();
    const samples = [];
    for (let s = 0; s < 15; s++) {
      const start = performance.now();
      for (let i = 0; i < 20000; i++) sink += call();
      samples.push(performance.now() - start);
    }
    if (Number.isNaN(sink)) throw new Error("kernel produced NaN");
    return samples.sort((x, y) => x - y)[7];
  };
  const before = time();
  if (grow) new WebAssembly.Memory({ initial: 1 }).grow(1);
  return time() / before;
}`;

/** The Chromium rows: each run a browser of its own, so that each page is a fresh process. */
async function chromiumRows(): Promise<string[]> {
  const rows: string[] = [];
  for (const grow of [false, true]) {
    const ratios: number[] = [];
    let version = "";
    for (let p = 0; p < PROCESSES; p++) {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        version = browser.version();
        const page = await browser.newPage();
        ratios.push(await page.evaluate(`(${PAGE_KERNEL})(${grow})`) as number);
      } finally {
        await browser.close();
      }
    }
    const label = `Chromium ${version}, a plain \`WebAssembly.Memory\`, ${grow ? "grown once" : "no growth (control)"}`;
    const cell = `${median(ratios).toFixed(2)}× <sub>${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}</sub>`;
    rows.push(`| ${label} | ${cell} | ${Object.keys(KERNELS).slice(1).map(() => "–").join(" | ")} | ${grow ? "yes" : "no"} |`);
    console.log(`${label}: ${cell}`);
  }
  return rows;
}

async function parent(): Promise<void> {
  const rows: string[] = [];
  for (const { name, prefix } of NODES) {
    for (const mode of MODES) {
      const runs: ChildResult[] = [];
      let failure = "";
      for (let p = 0; p < PROCESSES && failure === ""; p++) {
        const run = spawnSync(prefix[0], [...prefix.slice(1), "--import", "tsx/esm", join(root, "bench/growth-cost.ts"), "--child", mode],
          { cwd: root, encoding: "utf8" });
        if (run.status !== 0) failure = /viewStrategy "\w+" is not available here/.exec(run.stderr)?.[0] ?? run.stderr.trim().split("\n").at(-1) ?? "failed";
        else runs.push(JSON.parse(run.stdout.trim().split("\n").at(-1)!) as ChildResult);
      }
      const node = runs[0] === undefined ? name : `Node ${runs[0].node}`;
      const label = mode === "control" ? `${node}, "plain", no growth (control)` : `${node}, "${mode}", grown once`;
      if (failure !== "") {
        rows.push(`| ${label} | ${Object.keys(KERNELS).map(() => "–").join(" | ")} | not measured: ${failure} |`);
        console.log(`${label}: ${failure}`);
        continue;
      }
      const cells = Object.keys(KERNELS).map((_, k) => {
        const ratios = runs.map((r) => r.times[k].after / r.times[k].before);
        return `${median(ratios).toFixed(2)}× <sub>${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}</sub>`;
      });
      const grew = runs.every((r) => r.grew) ? "yes" : runs.some((r) => r.grew) ? "in some runs" : "no";
      rows.push(`| ${label} | ${cells.join(" | ")} | ${grew} |`);
      console.log(`${label}: ${cells.join("  ")}`);
    }
  }
  rows.push(...await chromiumRows());
  const out = join(root, "bench/results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "GROWTH.md"), [
    "# What one growth costs code that never touches the heap",
    `> One run of \`npm run bench:growth\`, ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model.trim()} × ${os.cpus().length}.`,
    "Growing non-shared WebAssembly memory (a `\"plain\"` heap) detaches its old `ArrayBuffer`. V8 keeps one flag per process "
      + "that the first detach ever made clears for good (its ArrayBufferDetaching protector); from then on every optimized "
      + "typed-array access in the process also checks its buffer. Each row is "
      + `${PROCESSES} fresh processes; each times three kernels of ordinary typed-array code, none of which touches the heap, `
      + "grows a heap of 1 MiB by 8 MiB with `heap.reserve()` (the control does not), and times them again; "
      + "in Chromium, each of 5 fresh browsers times the first kernel in a page, grows a plain `WebAssembly.Memory` "
      + "once (the control does not) and times it again. "
      + "Figures are time after ÷ time before: the median over the processes, min–max below.",
    [
      `| process | ${Object.keys(KERNELS).join(" | ")} | memory grew |`,
      `|---|${Object.keys(KERNELS).map(() => "---:|").join("")}---|`,
      ...rows,
    ].join("\n"),
    "A `\"plain\"` heap starts with 32 MiB so that bench/'s workloads never grow it; `heap.reserve(bytes)` at start-up, "
      + "before anything runs, keeps later growth from detaching anything (README, \"Views that do not go stale\").",
    "",
  ].join("\n\n"));
  console.log(`wrote ${join("bench/results", "GROWTH.md")}`);
}

const at = process.argv.indexOf("--child");
if (at > 0) child(process.argv[at + 1] as ViewStrategy | "control");
else await parent();
