// processBatch on the raw path: allocations are byte offsets, read and written through views of
// the whole memory: wasm-arena's taken once after reserving the batch's room, TLSF's taken again
// when they no longer span an item's temporaries (its memory grows with no notice).

import { ArenaAllocator } from "wasm-arena";
import { benchHeap } from "../../harness/strategy";
import { MemPool } from "@thi.ng/malloc";
import type { Cell } from "../../harness/cell";
import { JsBump } from "../../peers/js-bump";
import { outOfMemory } from "../../peers/out-of-memory";
import { createTlsf } from "../../peers/tlsf";
import { ITEMS, TEMPORARIES, SAMPLE_BYTES, BIN_BYTES, BATCH_BYTES, BATCH_HEAP_BYTES, keyBytes, touchRaw,
  spans } from "./shape";

export function floorRaw(): Cell {
  const bump = new JsBump(BATCH_BYTES);
  const { u8, f64, i32 } = bump;
  return {
    id: "batch/raw/floor", peer: "JS bump (floor)", how: "byte offsets into one ArrayBuffer", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        const key = bump.alloc(length, 1);
        const samples = bump.alloc(SAMPLE_BYTES, 8);
        const bins = bump.alloc(BIN_BYTES, 4);
        checksum += touchRaw(item, u8, f64, i32, key, length, samples, bins);
      }
      bump.reset();
      return checksum;
    },
    linearBytes: () => bump.capacity,
  };
}

export function arenaRaw(): Cell {
  const heap = benchHeap({ initialBytes: BATCH_HEAP_BYTES });
  const arena = new ArenaAllocator(heap.pageAllocator);
  const scratch = arena.allocator();
  // The hot loop's pattern (README, "Views that do not go stale"): reserve room for the batch so
  // that it never grows memory, then take the whole-memory views once. Views that never change
  // are constants to V8, as the floor's are; views refreshed by a growth listener cost the loop
  // a reload of each view after every call it does not inline (bench/README.md). Growth anyway
  // would leave them stale, so the batch checks that the heap's views are still these.
  heap.reserve(BATCH_BYTES);
  const u8 = heap.u8, f64 = heap.f64, i32 = heap.i32;
  return {
    id: "batch/raw/arena", peer: "wasm-arena ArenaAllocator",
    how: `rawAlloc + heap.f64 taken once after heap.reserve(), reset("retain_capacity")`, opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        const key = scratch.rawAlloc(length, 1);
        const samples = scratch.rawAlloc(SAMPLE_BYTES, 8);
        const bins = scratch.rawAlloc(BIN_BYTES, 4);
        checksum += touchRaw(item, u8, f64, i32, key, length, samples, bins);
      }
      if (heap.u8 !== u8) throw new Error("memory grew during the batch: its views went stale (reserve more)");
      arena.reset("retain_capacity");
      return checksum;
    },
    linearBytes: () => heap.memory.buffer.byteLength,
  };
}

export function tlsfRaw(): Cell {
  const tlsf = createTlsf();
  const blocks = new Uint32Array(TEMPORARIES);
  return {
    id: "batch/raw/tlsf", peer: "AssemblyScript TLSF", how: "heap.alloc, heap.free each", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let { u8, f64, i32 } = wholeViews(tlsf.memory);
      let checksum = 0;
      let n = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        const key = tlsf.alloc(length);
        const samples = tlsf.alloc(SAMPLE_BYTES);
        const bins = tlsf.alloc(BIN_BYTES);
        if (!spans(u8, key, length, samples, bins)) ({ u8, f64, i32 } = wholeViews(tlsf.memory));
        checksum += touchRaw(item, u8, f64, i32, key, length, samples, bins);
        blocks[n++] = key;
        blocks[n++] = samples;
        blocks[n++] = bins;
      }
      while (n > 0) tlsf.free(blocks[--n]);
      return checksum;
    },
    linearBytes: () => tlsf.memory.buffer.byteLength,
  };
}

export function thingRaw(): Cell {
  const pool = new MemPool({ size: BATCH_BYTES });
  const u8 = new Uint8Array(pool.buf), f64 = new Float64Array(pool.buf), i32 = new Int32Array(pool.buf);
  return {
    id: "batch/raw/thing", peer: "@thi.ng/malloc MemPool", how: "malloc + freeAll", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        const key = pool.malloc(length);
        const samples = pool.malloc(SAMPLE_BYTES);
        const bins = pool.malloc(BIN_BYTES);
        if (key === 0 || samples === 0 || bins === 0) outOfMemory();
        checksum += touchRaw(item, u8, f64, i32, key, length, samples, bins);
      }
      pool.freeAll();
      return checksum;
    },
    linearBytes: () => pool.buf.byteLength,
  };
}

function wholeViews(memory: WebAssembly.Memory): { u8: Uint8Array; f64: Float64Array; i32: Int32Array } {
  const { buffer } = memory;
  return { u8: new Uint8Array(buffer), f64: new Float64Array(buffer), i32: new Int32Array(buffer) };
}
