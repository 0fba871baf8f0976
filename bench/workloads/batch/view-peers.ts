// processBatch on the view path: every temporary is a typed array, however the peer gets it.

import { ArenaAllocator, type ResetMode } from "wasm-arena";
import { benchHeap } from "../../harness/strategy";
import { MemPool } from "@thi.ng/malloc";
import type { Cell } from "../../harness/cell";
import { JsBump } from "../../peers/js-bump";
import { outOfMemory } from "../../peers/out-of-memory";
import { createTlsf } from "../../peers/tlsf";
import { ITEMS, TEMPORARIES, SAMPLES, BINS, SAMPLE_BYTES, BIN_BYTES, BATCH_BYTES, BATCH_HEAP_BYTES, keyBytes,
  touchViews } from "./shape";

/** What the collector frees: a new typed array per temporary. */
export function plainViews(): Cell {
  return {
    id: "batch/view/plain", peer: "plain typed arrays", how: "new Float64Array(100), …", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      for (let item = 0; item < ITEMS; item++) {
        checksum += touchViews(item, new Uint8Array(keyBytes(item)), new Float64Array(SAMPLES), new Int32Array(BINS));
      }
      return checksum;
    },
    linearBytes: () => 0,
  };
}

export function floorViews(): Cell {
  const bump = new JsBump(BATCH_BYTES);
  const { buffer } = bump;
  return {
    id: "batch/view/floor", peer: "JS bump (floor)", how: "views on one ArrayBuffer", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        checksum += touchViews(item, new Uint8Array(buffer, bump.alloc(length, 1), length),
          new Float64Array(buffer, bump.alloc(SAMPLE_BYTES, 8), SAMPLES),
          new Int32Array(buffer, bump.alloc(BIN_BYTES, 4), BINS));
      }
      bump.reset();
      return checksum;
    },
    linearBytes: () => bump.capacity,
  };
}

/** One processBatch over `arena`'s allocator, ending with reset(mode), as users write it. */
export function arenaViewBatch(arena: ArenaAllocator, mode: ResetMode): () => number {
  const scratch = arena.allocator();
  return () => {
    // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
    let checksum = 0;
    for (let item = 0; item < ITEMS; item++) {
      checksum += touchViews(item, scratch.alloc("u8", keyBytes(item)), scratch.alloc("f64", SAMPLES),
        scratch.alloc("i32", BINS));
    }
    arena.reset(mode);
    return checksum;
  };
}

export function arenaViews(): Cell {
  const heap = benchHeap({ initialBytes: BATCH_HEAP_BYTES });
  const arena = new ArenaAllocator(heap.pageAllocator);
  return {
    id: "batch/view/arena", peer: "wasm-arena ArenaAllocator", how: `alloc() views, reset("retain_capacity")`,
    opsPerCall: TEMPORARIES,
    call: arenaViewBatch(arena, "retain_capacity"),
    linearBytes: () => heap.memory.buffer.byteLength,
  };
}

/** TLSF hands out addresses; views are made on its memory after the allocations that may grow it. */
export function tlsfViews(): Cell {
  const tlsf = createTlsf();
  const blocks = new Uint32Array(TEMPORARIES);
  return {
    id: "batch/view/tlsf", peer: "AssemblyScript TLSF", how: "heap.alloc + views, heap.free each", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      let n = 0;
      for (let item = 0; item < ITEMS; item++) {
        const length = keyBytes(item);
        const key = tlsf.alloc(length);
        const samples = tlsf.alloc(SAMPLE_BYTES);
        const bins = tlsf.alloc(BIN_BYTES);
        const buffer = tlsf.memory.buffer;
        checksum += touchViews(item, new Uint8Array(buffer, key, length), new Float64Array(buffer, samples, SAMPLES),
          new Int32Array(buffer, bins, BINS));
        blocks[n++] = key;
        blocks[n++] = samples;
        blocks[n++] = bins;
      }
      // Newest first, as an arena would release them.
      while (n > 0) tlsf.free(blocks[--n]);
      return checksum;
    },
    linearBytes: () => tlsf.memory.buffer.byteLength,
  };
}

export function thingViews(): Cell {
  const pool = new MemPool({ size: BATCH_BYTES });
  const views: ArrayBufferView[] = new Array<ArrayBufferView>(TEMPORARIES).fill(new Uint8Array(0));
  return {
    id: "batch/view/thing", peer: "@thi.ng/malloc MemPool", how: "mallocAs + free each", opsPerCall: TEMPORARIES,
    call: () => {
      // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
      let checksum = 0;
      let n = 0;
      for (let item = 0; item < ITEMS; item++) {
        const key = pool.mallocAs("u8", keyBytes(item)) ?? outOfMemory();
        const samples = pool.mallocAs("f64", SAMPLES) ?? outOfMemory();
        const bins = pool.mallocAs("i32", BINS) ?? outOfMemory();
        checksum += touchViews(item, key, samples, bins);
        views[n++] = key;
        views[n++] = samples;
        views[n++] = bins;
      }
      // Newest first: MemPool finds a block by walking its used list from the newest, so this is
      // its best case (oldest first costs O(live) per free).
      while (n > 0) pool.free(views[--n] as Uint8Array);
      return checksum;
    },
    linearBytes: () => pool.buf.byteLength,
  };
}
