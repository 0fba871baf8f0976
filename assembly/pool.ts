// MemoryPool: Zig's std.heap.MemoryPool. Items of one size come from the pool's own arena over
// the backing allocator; a destroyed item goes on a free list threaded through the items, so
// create and destroy are O(1) and reset/deinit give everything back at once.
//
//   record body ┌───────┬──────┬─────┬──────┬───────┬───────┐
//               │ arena │ free │ len │ size │ align │ flags │
//               └───────┴──────┴─────┴──────┴───────┴───────┘
//                ARENA   FREE   LEN   SIZE   ALIGN   FLAGS
//
// `arena` is the record of the pool's ArenaAllocator (ended with the pool). Every item is `len`
// bytes at `align`, in a slot of `size` bytes (at least 8 and a multiple of align, so slots lie
// `size` apart); a free is of exactly `len` bytes.
// `free` is the last item destroyed; a free item's first word names the next (0 ends the list):
//
//   free item ┌──────┬─────────────────┬──────────────────────────┐
//             │ next │ FREED_KEY ^ item│ 0xAA … (with SAFE only)  │
//             └──────┴─────────────────┴──────────────────────────┘
//
// With SAFE (the backing allocator is a GPA with safety), destroy proves the item is the pool's
// (arenaHoldsItem) and not already free (its second word), and fills it with 0xAA; a misuse is
// INVALID_FREE or DOUBLE_FREE and changes nothing.

import { BODY, RECORD_SIZE, newRecord, freeRecord, vtableAddressOf } from "./records";
import { ARENA, ResetMode, arenaInit, arenaReset, arenaAlloc, arenaHoldsItem } from "./arena";
import { GPA } from "./gpa/index";
import { isSafe } from "./gpa/gpa";
import { destroy } from "./dispatch";
import { alignForward } from "./memory";
import { Status, fail, clearStatus } from "./status";
import { defineVTable } from "./vtable";

const ARENA_OF: usize = BODY;
const FREE: usize = ARENA_OF + 4;
const LEN: usize = FREE + 4;
const SIZE: usize = LEN + 4;
const ALIGN: usize = SIZE + 4;
const FLAGS: usize = ALIGN + 4;
const POOL_END: usize = FLAGS + 4;
if (POOL_END > RECORD_SIZE) ERROR("the pool's fields overflow its record");

const SAFE: u32 = 1;
/** The smallest item: room for the free list's link and the freed mark. */
const MIN_ITEM: usize = 8;
const FREED_KEY: u32 = 0xF4EE_D17E;
const FILL: u8 = 0xAA;

// @ts-ignore: decorator
@inline function arenaOf(pool: usize): usize { return load<u32>(pool + ARENA_OF); }
// @ts-ignore: decorator
@inline function itemLen(pool: usize): usize { return load<u32>(pool + LEN); }
// @ts-ignore: decorator
@inline function itemSize(pool: usize): usize { return load<u32>(pool + SIZE); }
// @ts-ignore: decorator
@inline function itemAlign(pool: usize): usize { return load<u32>(pool + ALIGN); }
// @ts-ignore: decorator
@inline function isSafePool(pool: usize): bool { return (load<u32>(pool + FLAGS) & SAFE) != 0; }


/**
 * A pool of `len`-byte items at `align` (a power of two) over `backing`; 0 if no record could be
 * made. Checked (SAFE) when `backing` is a GPA with safety.
 */
export function poolInit(backing: usize, len: usize, align: usize): usize {
  const arena = arenaInit(backing);
  if (arena == 0) return 0;
  const pool = newRecord(POOL);
  if (pool == 0) {
    destroy(arena);
    return 0;
  }
  store<u32>(pool + ARENA_OF, arena);
  store<u32>(pool + LEN, len);
  store<u32>(pool + SIZE, alignForward(max(len, MIN_ITEM), align));
  store<u32>(pool + ALIGN, align);
  store<u32>(pool + FLAGS, vtableAddressOf(backing) == GPA && isSafe(backing) ? SAFE : 0);
  return pool;
}

/**
 * An item: the last one destroyed, else a new one from the arena; 0 when out of memory (and for
 * a request larger or more aligned than the pool's items, which it has none of).
 */
function poolAlloc(pool: usize, len: usize, align: usize, caller: usize): usize {
  if (len > itemLen(pool) || align > itemAlign(pool)) return 0;
  let item: usize = load<u32>(pool + FREE);
  if (item != 0) store<u32>(pool + FREE, load<u32>(item));
  else item = arenaAlloc(arenaOf(pool), itemSize(pool), itemAlign(pool), caller);
  // With SAFE, the link and the freed mark (or a mark left from before a reset) become 0xAA.
  if (item != 0 && isSafePool(pool)) store<u64>(item, 0xAAAA_AAAA_AAAA_AAAA);
  return item;
}

/**
 * Puts `item`, of the pool's item length, on the free list; with SAFE, only an item of this
 * pool that is not free already.
 */
function poolFree(pool: usize, item: usize, len: usize, _align: usize, _caller: usize): Status {
  if (len != itemLen(pool) || (item & (itemAlign(pool) - 1)) != 0) return fail(Status.INVALID_FREE, item);
  if (isSafePool(pool)) {
    if (!arenaHoldsItem(arenaOf(pool), item, itemSize(pool), itemAlign(pool))) return fail(Status.INVALID_FREE, item);
    if (load<u32>(item + 4) == (FREED_KEY ^ <u32>item)) return fail(Status.DOUBLE_FREE, item);
    memory.fill(item, FILL, itemSize(pool));
    store<u32>(item + 4, FREED_KEY ^ <u32>item);
  }
  store<u32>(item, load<u32>(pool + FREE));
  store<u32>(pool + FREE, item);
  return Status.OK;
}

/** Items never change size: a resize to any other length fails. */
function poolResize(pool: usize, _ptr: usize, _len: usize, newLen: usize, _align: usize, _caller: usize): Status {
  return newLen == itemLen(pool) ? Status.OK : Status.OUT_OF_MEMORY;
}

/** Ends the pool's arena (every item goes back to the backing allocator) and the pool. */
function poolDeinit(pool: usize): void {
  destroy(arenaOf(pool));
  freeRecord(pool);
}

/** The free list stays inside memory, on item boundaries, without a cycle; with SAFE, marked freed. */
function poolValidate(pool: usize): Status {
  const arena = arenaOf(pool);
  if (vtableAddressOf(arena) != ARENA) return fail(Status.CORRUPTION, pool);
  const memoryEnd = <u64>memory.size() << 16;
  let budget = memoryEnd / <u64>itemSize(pool);
  for (let item: usize = load<u32>(pool + FREE); item != 0; item = load<u32>(item)) {
    if (budget-- == 0 || (item & (itemAlign(pool) - 1)) != 0 || <u64>item + <u64>itemSize(pool) > memoryEnd
      || (isSafePool(pool) && load<u32>(item + 4) != (FREED_KEY ^ <u32>item))) return fail(Status.CORRUPTION, item);
  }
  return Status.OK;
}

const POOL = defineVTable(poolAlloc, poolResize, poolFree, poolDeinit, poolValidate);

/** Zig's preheat: makes `count` items and puts them on the free list; false when out of memory. */
export function poolPreheat(pool: usize, count: u32): bool {
  clearStatus();
  for (let i: u32 = 0; i < count; i++) {
    const item = arenaAlloc(arenaOf(pool), itemSize(pool), itemAlign(pool), 0);
    if (item == 0) return false;
    if (isSafePool(pool)) store<u32>(item + 4, 0); // whatever a reset left there is no freed mark
    poolFree(pool, item, itemLen(pool), itemAlign(pool), 0);
  }
  return true;
}

/** Frees every item at once: the arena resets with `mode` (its return), the free list empties. */
export function poolReset(pool: usize, mode: ResetMode, limit: usize): bool {
  store<u32>(pool + FREE, 0);
  return arenaReset(arenaOf(pool), mode, limit);
}
