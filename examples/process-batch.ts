// processBatch, the canonical arena workload: 10,000 items, each needing three temporaries (a 64-byte key, 100
// samples and a 50-bin histogram) that die when the item is done. With plain typed arrays every
// temporary is a fresh object for the garbage collector; with an arena it is a view on memory
// that reset() hands back all at once.

import { Heap, ArenaAllocator, type Allocator } from "wasm-arena";

export const ITEMS = 10_000;
const KEY_BYTES = 64;
const SAMPLES = 100;
const BINS = 50;

/** The per-item work, the same for every way of getting the memory. */
function processItem(item: number, key: Uint8Array, samples: Float64Array, bins: Int32Array): number {
  key[0] = item & 0xff;
  key[KEY_BYTES - 1] = item >>> 8;
  bins.fill(0);
  let sum = 0;
  for (let i = 0; i < SAMPLES; i += 10) {
    const x = ((item * 31 + i) % 97) / 97;
    samples[i] = x;
    bins[(x * (BINS - 1)) | 0]++;
    sum += x;
  }
  return sum + bins[0] + key[0];
}

/** Every temporary is a new typed array; the collector frees them some time later. */
export function processBatchPlain(): number {
  let checksum = 0;
  for (let item = 0; item < ITEMS; item++) {
    checksum += processItem(item, new Uint8Array(KEY_BYTES), new Float64Array(SAMPLES), new Int32Array(BINS));
  }
  return checksum;
}

/** Every temporary from a general-purpose allocator, freed one by one when its item is done. */
export function processBatchGpa(allocator: Allocator): number {
  let checksum = 0;
  for (let item = 0; item < ITEMS; item++) {
    const key = allocator.alloc("u8", KEY_BYTES);
    const samples = allocator.alloc("f64", SAMPLES);
    const bins = allocator.alloc("i32", BINS);
    checksum += processItem(item, key, samples, bins);
    allocator.free(bins);
    allocator.free(samples);
    allocator.free(key);
  }
  return checksum;
}

/** Every temporary is a view from the arena; one reset frees the whole batch. */
export function processBatchArena(arena: ArenaAllocator): number {
  const scratch: Allocator = arena.allocator();
  let checksum = 0;
  for (let item = 0; item < ITEMS; item++) {
    checksum += processItem(item, scratch.alloc("u8", KEY_BYTES), scratch.alloc("f64", SAMPLES), scratch.alloc("i32", BINS));
  }
  arena.reset("retain_capacity");
  return checksum;
}

/**
 * The raw path: byte offsets instead of views, read and written through the heap's whole-memory
 * views. No view objects at all, so no garbage. reserve() first makes sure the batch fits in the
 * memory the heap already has (the arena's retained capacity counts), so the whole-memory views
 * taken once stay valid for the batch.
 */
export function processBatchRaw(arena: ArenaAllocator, heap: Heap): number {
  const scratch = arena.allocator();
  const batchBytes = ITEMS * (KEY_BYTES + SAMPLES * 8 + BINS * 4 + 16);
  heap.reserve(Math.max(0, batchBytes - arena.queryCapacity()));
  const u8 = heap.u8, f64 = heap.f64, i32 = heap.i32;
  let checksum = 0;
  for (let item = 0; item < ITEMS; item++) {
    const key = scratch.rawAlloc(KEY_BYTES, 1);
    const samples = scratch.rawAlloc(SAMPLES * 8, 8);
    const bins = scratch.rawAlloc(BINS * 4, 4);
    u8[key] = item & 0xff;
    u8[key + KEY_BYTES - 1] = item >>> 8;
    i32.fill(0, bins >> 2, (bins >> 2) + BINS);
    let sum = 0;
    for (let i = 0; i < SAMPLES; i += 10) {
      const x = ((item * 31 + i) % 97) / 97;
      f64[(samples >> 3) + i] = x;
      i32[(bins >> 2) + ((x * (BINS - 1)) | 0)]++;
      sum += x;
    }
    checksum += sum + i32[bins >> 2] + u8[key];
  }
  arena.reset("retain_capacity");
  return checksum;
}
