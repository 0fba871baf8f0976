// The reset loop: one arena serves batch after batch of processBatch (view path),
// reset between batches. Counts the arena's calls to its backing allocator (heap.pageAllocator)
// in every batch, and times the loop under each reset mode.

import { ArenaAllocator, type Heap, type ResetMode } from "wasm-arena";
import { benchHeap } from "../harness/strategy";
import type { Cell, Extra, Section } from "../harness/cell";
import { ITEMS, TEMPORARIES, BATCH_HEAP_BYTES, batchChecksum } from "./batch/shape";
import { arenaViewBatch } from "./batch/view-peers";
import { PLAIN_CELL, FLOOR_VIEWS_CELL } from "./batch/section";

const MODES: { name: string; mode: ResetMode }[] = [
  { name: `"retain_capacity"`, mode: "retain_capacity" },
  { name: "{ retain_with_limit: 1 MiB }", mode: { retain_with_limit: 1 << 20 } },
  { name: `"free_all"`, mode: "free_all" },
];

/** Calls into the page allocator so far, of every kind. */
function pageCalls(heap: Heap): number {
  const stats = heap.stats();
  return stats.pageAllocCalls + stats.pageFreeCalls + stats.pageResizeCalls;
}

/** A fresh heap and arena, and one batch over them that resets with `mode`. */
function arenaLoop(mode: ResetMode) {
  const heap = benchHeap({ initialBytes: BATCH_HEAP_BYTES });
  const arena = new ArenaAllocator(heap.pageAllocator);
  return { heap, arena, batch: arenaViewBatch(arena, mode) };
}

/** Backing calls in each of `batches` batches, on a fresh arena. */
function countCalls(mode: ResetMode, batches: number): { calls: number[]; capacity: number } {
  const { heap, arena, batch } = arenaLoop(mode);
  const calls: number[] = [];
  for (let i = 0; i < batches; i++) {
    const before = pageCalls(heap);
    batch();
    calls.push(pageCalls(heap) - before);
  }
  const capacity = arena.queryCapacity();
  arena.deinit();
  return { calls, capacity };
}

function timedLoop(name: string, mode: ResetMode): Cell {
  const { heap, batch } = arenaLoop(mode);
  return {
    id: `reset/${name}`, peer: "wasm-arena ArenaAllocator", how: `reset(${name})`, opsPerCall: TEMPORARIES,
    call: batch,
    linearBytes: () => heap.memory.buffer.byteLength,
  };
}

/** Why batch 1 makes about one call per allocation: bench/README.md, "The reset loop". */
function callsTable(batches: number): Extra {
  const counted = MODES.map(({ name, mode }) => ({ name, ...countCalls(mode, batches) }));
  return {
    title: "Calls to the backing allocator per batch",
    columns: ["reset mode", "batch 1", "batches 2+ (max)", "batches 2+ (total)", "capacity kept after"],
    rows: counted.map(({ name, calls, capacity }) => {
      const later = calls.slice(1);
      return [name, calls[0], Math.max(...later), later.reduce((a, b) => a + b, 0), `${(capacity / 2 ** 20).toFixed(1)} MiB`];
    }),
  };
}

export function resetLoopSection(batches: number): Section {
  return {
    id: "reset",
    title: "Reset loop",
    description: `One arena over heap.pageAllocator runs processBatch (view path, ${ITEMS.toLocaleString("en")} `
      + `items) again and again, reset between batches. Backing calls are counted over ${batches} batches `
      + "on a fresh arena: every alloc, resize and free the arena makes to the page allocator.",
    groups: [() => ({
      variant: "view path", unit: "temporary", checksum: batchChecksum(),
      cells: MODES.map(({ name, mode }) => timedLoop(name, mode)),
      references: [{ label: "plain typed arrays", cellId: PLAIN_CELL }, { label: "floor", cellId: FLOOR_VIEWS_CELL }],
      extras: (): Extra[] => [callsTable(batches)],
    })],
  };
}
