// The quarantine: with safety, a freed slot is held back from reuse for a while, so that a second
// free of it is still a double free after later allocations (a slot reused last-in first-out
// would belong to a new owner by then, and the second free would release the new owner's block).
// Zig's safe mode never reuses an address; a bounded heap cannot afford that, so the quarantine
// is a bounded FIFO, and the GPA empties it before it takes a slab from its backing allocator:
// holding slots back never costs memory growth.
//
//   quarantine (in the GPA record)     ring (CAPACITY slot addresses, from the backing allocator)
//   ┌───────┬────────┬───────┐         ┌──────┬──────┬─────┬──────┐
//   │ table │ oldest │ count │         │ slot │ slot │  …  │ slot │
//   └───────┴────────┴───────┘         └──────┴──────┴─────┴──────┘
//
// A held slot is still counted as used by its slab; its meta word is META_HELD (so checkLive sees
// a double free), and it is on no free list. The ring is taken lazily; without it (the backing
// allocator had no room) slots are released at once.

import { backingAlloc, backingFree } from "../dispatch";

@unmanaged class Quarantine {
  table: usize;
  /** The index in the ring of the oldest held slot. */
  oldest: u32;
  count: u32;
}
export const QUARANTINE_SIZE: usize = offsetof<Quarantine>();

/** Slots held at most; one backing page holds the ring (exported: the tests hold this many). */
export const QUARANTINE_SLOTS: u32 = 1024;
const CAPACITY: u32 = QUARANTINE_SLOTS;
const RING_BYTES: usize = <usize>CAPACITY << 2;
const RING_ALIGN: usize = 4;

// @ts-ignore: decorator
@inline function at(quarantine: usize): Quarantine { return changetype<Quarantine>(quarantine); }
// @ts-ignore: decorator
@inline function slotAt(quarantine: usize, index: u32): usize {
  return at(quarantine).table + (<usize>(index % CAPACITY) << 2);
}

/** How many slots are held. */
// @ts-ignore: decorator
@inline export function quarantineCount(quarantine: usize): u32 { return at(quarantine).count; }

/** The `i`-th held slot, oldest first (i < quarantineCount). */
export function quarantineSlot(quarantine: usize, i: u32): usize {
  return load<u32>(slotAt(quarantine, at(quarantine).oldest + i));
}

/**
 * Whether the quarantine can hold slots: it takes its ring from `backing` the first time. A
 * backing call that throws changes nothing here.
 */
export function quarantineReady(gpa: usize, quarantine: usize, backing: usize): bool {
  const q = at(quarantine);
  if (q.table == 0) q.table = backingAlloc(gpa, backing, RING_BYTES, RING_ALIGN);
  return q.table != 0;
}

/**
 * Holds `slot` back (the quarantine is ready). Returns the slot that must be released now: the
 * oldest when the ring is full, else 0.
 */
export function quarantineHold(quarantine: usize, slot: usize): usize {
  const q = at(quarantine);
  let released: usize = 0;
  if (q.count >= CAPACITY) released = quarantineRelease(quarantine);
  store<u32>(slotAt(quarantine, q.oldest + q.count), slot);
  q.count++;
  return released;
}

/**
 * Whether the quarantine's words are ones it could have written: a count above CAPACITY, or slots
 * held with no ring to hold them in, is damage (a loop releasing slots until none is held would
 * run 2^32 times on the one, forever on the other).
 */
export function quarantineIntact(quarantine: usize): bool {
  const q = at(quarantine);
  return q.count <= CAPACITY && (q.table != 0 || q.count == 0);
}

/** Takes the oldest held slot out of the quarantine; 0 if none is held, or if it is damaged. */
export function quarantineRelease(quarantine: usize): usize {
  const q = at(quarantine);
  if (q.count == 0 || !quarantineIntact(quarantine)) return 0;
  const slot = load<u32>(slotAt(quarantine, q.oldest));
  q.oldest = (q.oldest + 1) % CAPACITY;
  q.count--;
  return slot;
}

/** Gives the ring back to `backing`; the quarantine must be empty. */
export function quarantineEnd(gpa: usize, quarantine: usize, backing: usize): void {
  assert(quarantineCount(quarantine) == 0, "a quarantine ended with slots held");
  const q = at(quarantine);
  const table = q.table;
  // Forgotten before the backing call, which may throw (a defineAllocator() callback).
  q.table = 0;
  q.oldest = 0;
  if (table != 0) backingFree(gpa, backing, table, RING_BYTES, RING_ALIGN);
}
