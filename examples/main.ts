// `npm start`: the library's patterns side by side with plain typed arrays, timed on this machine.

import { Heap, ArenaAllocator, GeneralPurposeAllocator } from "wasm-arena";
import { ITEMS, processBatchPlain, processBatchArena, processBatchRaw } from "./process-batch";
import { resetLoop } from "./reset-loop";
import { computeResult, computeResultPlain } from "./compute-result";
import { forgottenDeinit } from "./leak-check";
import { timeMedian } from "./timing";
import { countCollections } from "./gc-counter";

const BATCHES_PER_GC_COUNT = 20;

function table(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  for (const [i, row] of cells.entries()) {
    console.log("  " + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   "));
    if (i === 0) console.log("  " + widths.map((w) => "-".repeat(w)).join("   "));
  }
  console.log();
}

const ms = (value: number) => value.toFixed(3);
const ratio = (baseline: number, value: number) => `${(baseline / value).toFixed(1)}x`;

async function main(): Promise<void> {
  const heap = Heap.create({ initialBytes: 16 << 20, maximumBytes: 1 << 30 });
  console.log(`wasm-arena on Node ${process.versions.node}, view strategy "${heap.viewStrategy}"\n`);

  console.log(`processBatch: ${ITEMS.toLocaleString("en")} items, three temporaries each (u8[64], f64[100], i32[50])`);
  const arena = new ArenaAllocator(heap.pageAllocator);
  const ways = [
    { name: "plain typed arrays", run: () => processBatchPlain() },
    { name: "arena, typed-array views", run: () => processBatchArena(arena) },
    { name: "arena, raw byte offsets", run: () => processBatchRaw(arena, heap) },
  ];
  const rows: (string | number)[][] = [];
  let plainMs = 0;
  for (const way of ways) {
    const timing = timeMedian(way.run);
    const collections = await countCollections(() => { for (let i = 0; i < BATCHES_PER_GC_COUNT; i++) way.run(); });
    plainMs ||= timing.medianMs;
    rows.push([way.name, ms(timing.medianMs), ratio(plainMs, timing.medianMs), collections, timing.result.toFixed(3)]);
  }
  arena.deinit();
  table(["approach", "ms/batch (median)", "speed-up", `GCs in ${BATCHES_PER_GC_COUNT} batches`, "checksum"], rows);

  console.log("reset loop: one arena, reset(\"retain_capacity\") between batches of 10,000 items");
  table(["batch", "calls to the page allocator", "capacity kept (bytes)"],
    resetLoop(heap, 5, ITEMS).map((b) => [b.batch, b.backingCalls, b.capacityBytes]));

  console.log("computeResult: scratch from an arena, the result from a GeneralPurposeAllocator");
  const gpa = new GeneralPurposeAllocator({ heap });
  const backing = gpa.allocator();
  const sizes = [1 << 10, 1 << 16, 1 << 20];
  table(["elements", "plain ms (median)", "two allocators ms (median)", "speed-up", "same result"], sizes.map((n) => {
    const input = Int32Array.from({ length: n }, (_, i) => i - n / 2);
    const plain = timeMedian(() => computeResultPlain(input)[n - 1]);
    const pooled = timeMedian(() => {
      const result = computeResult(backing, input);
      const last = result[n - 1];
      backing.free(result);
      return last;
    });
    const checked = computeResult(backing, input);
    const same = checked.every((x, i) => x === input[i] * 2);
    backing.free(checked);
    return [n.toLocaleString("en"), ms(plain.medianMs), ms(pooled.medianMs), ratio(plain.medianMs, pooled.medianMs), same ? "yes" : "NO"];
  }));

  console.log(`gpa.deinit(): "${gpa.deinit()}" (every result was freed)\n`);

  console.log("a forgotten arena.deinit(), caught by the GPA's leak check");
  forgottenDeinit(heap);

  heap.validate();
  const stats = heap.stats();
  console.log(`heap: ${stats.memoryBytes / 2 ** 20} MiB of linear memory, grown ${stats.grows} times; validate() passed`);
}

await main();
