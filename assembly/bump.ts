// A bump region: the pointer-bumping core shared by the arena (its newest chunk) and the
// fixed-buffer allocator (its buffer). Only this file writes a region's fields.
//
//   ┌───────┬──────────┬──────┬──────┐
//   │ start │ capacity │ end  │ seal │   allocations occupy [start, start + end); the rest is free
//   └───────┴──────────┴──────┴──────┘
//    +0      +4         +8     +12
//
// Invariant: end <= capacity, [start, start + capacity) lies in memory the owner holds, and
// seal == start ^ capacity ^ end ^ SEAL_KEY. The seal is how a damaged word is told from a
// full region: every path that hands out or takes back memory checks it first, so a region whose
// start, capacity or end was overwritten refuses (Status.CORRUPTION) instead of handing out
// memory that belongs to someone else. It costs one load and one store a bump.
// The layout crosses to JavaScript (BUMP_* and each owner's region offset are exported), which
// may read and advance `end` itself, keeping the seal: `end` and `seal` are the only state of the
// bump, and a region is always consistent between two calls.

import { alignForward } from "./memory";
import { Status, fail } from "./status";

@unmanaged class BumpRegion {
  /** The first byte of the region; 0 for an owner with no memory yet. */
  start: usize;
  /** Bytes from `start` the owner holds. */
  capacity: usize;
  /** Bytes from `start` handed out; always <= capacity. */
  end: usize;
  /** start ^ capacity ^ end ^ SEAL_KEY. */
  seal: u32;
}

/** Makes an all-zero region (an arena with no chunk yet) need a seal too. */
export const SEAL_KEY: u32 = 0x9E37_79B9;

export const BUMP_START: usize = offsetof<BumpRegion>("start");
export const BUMP_CAPACITY: usize = offsetof<BumpRegion>("capacity");
export const BUMP_END: usize = offsetof<BumpRegion>("end");
export const BUMP_SEAL: usize = offsetof<BumpRegion>("seal");
export const BUMP_SIZE: usize = offsetof<BumpRegion>();

/**
 * Whether the owner of a region handed out [ptr, ptr + len) outside it (an arena, in its older
 * chunks). Called only when a free or resize is not about the region's own bytes.
 */
export type OwnsOutside = (owner: usize, ptr: usize, len: usize) => bool;

// @ts-ignore: decorator
@inline function at(region: usize): BumpRegion { return changetype<BumpRegion>(region); }
// @ts-ignore: decorator
@inline export function bumpStart(region: usize): usize { return at(region).start; }
// @ts-ignore: decorator
@inline export function bumpCapacity(region: usize): usize { return at(region).capacity; }
// @ts-ignore: decorator
@inline export function bumpEnd(region: usize): usize { return at(region).end; }

// @ts-ignore: decorator
@inline function sealOf(start: usize, capacity: usize, end: usize): u32 {
  return <u32>(start ^ capacity ^ end) ^ SEAL_KEY;
}

/** Whether the region's words are the ones this file wrote (see the seal above). */
// @ts-ignore: decorator
@inline export function bumpIntact(region: usize): bool {
  return at(region).seal == sealOf(bumpStart(region), bumpCapacity(region), bumpEnd(region));
}

/** Writes all three words and their seal. */
function set(region: usize, start: usize, capacity: usize, end: usize): void {
  at(region).start = start;
  at(region).capacity = capacity;
  at(region).end = end;
  at(region).seal = sealOf(start, capacity, end);
}

// @ts-ignore: decorator
@inline function setEnd(region: usize, end: usize): void {
  at(region).end = end;
  at(region).seal = sealOf(bumpStart(region), bumpCapacity(region), end);
}

/** Points the region at `capacity` fresh bytes from `start`. */
export function bumpReset(region: usize, start: usize, capacity: usize): void {
  set(region, start, capacity, 0);
}

/** Forgets every allocation: the whole region is free again. */
export function bumpClear(region: usize): void {
  setEnd(region, 0);
}

/** Forgets every allocation from `end` on (at most the capacity): an arena's checkpoint restored. */
export function bumpRewind(region: usize, end: usize): void {
  assert(end <= bumpCapacity(region), "a bump region rewound past its capacity");
  setEnd(region, end);
}

/** The region's memory grew in place to `capacity` bytes (the owner resized what it holds). */
export function bumpGrow(region: usize, capacity: usize): void {
  assert(capacity >= at(region).capacity, "a bump region grew to less than it had");
  set(region, bumpStart(region), capacity, bumpEnd(region));
}

/**
 * `n` bytes aligned to `align` from the region, or 0 if they do not fit or the region is damaged
 * (its owner tells the two apart with bumpIntact, off the hot path).
 */
// @ts-ignore: decorator
@inline export function bumpAlloc(region: usize, n: usize, align: usize): usize {
  const start = bumpStart(region);
  const capacity = bumpCapacity(region);
  const end = bumpEnd(region);
  if (at(region).seal != sealOf(start, capacity, end)) return 0;
  const addr = start + end;
  const aligned = alignForward(addr, align);
  const newEnd = <u64>(aligned - start) + <u64>n;
  if (aligned < addr || newEnd > <u64>capacity) return 0;
  at(region).end = <usize>newEnd;
  at(region).seal = sealOf(start, capacity, <usize>newEnd);
  return aligned;
}

/**
 * Whether [ptr, ptr + len) is the region's most recent allocation: it ends at the bump pointer and
 * starts inside the region. The sum is taken in 64 bits: in 32 it wraps, and a ptr and len from
 * JavaScript whose end passes 2^32 would pass for the last allocation; a range that starts below
 * the region would roll the bump pointer back past its start.
 */
// @ts-ignore: decorator
@inline function isLast(region: usize, ptr: usize, len: usize): bool {
  return ptr >= bumpStart(region) && <u64>ptr + <u64>len == <u64>(bumpStart(region) + bumpEnd(region));
}

/** Whether [ptr, ptr + len) lies inside the region's used bytes. */
export function bumpOwns(region: usize, ptr: usize, len: usize): bool {
  const start = bumpStart(region);
  return ptr >= start && <u64>ptr + <u64>len <= <u64>(start + bumpEnd(region));
}

/** Whether [ptr, ptr + len) lies inside the region's capacity (Zig's ownsSlice). */
export function bumpContains(region: usize, ptr: usize, len: usize): bool {
  const start = bumpStart(region);
  return ptr >= start && <u64>ptr + <u64>len <= <u64>start + <u64>bumpCapacity(region);
}

/**
 * Frees [ptr, ptr + len): the bump pointer rolls back if it is the last allocation, anything
 * else the owner handed out is a no-op, and what it did not hand out is INVALID_FREE.
 */
export function bumpFree(owner: usize, region: usize, ptr: usize, len: usize, outside: OwnsOutside): Status {
  if (!bumpIntact(region)) return fail(Status.CORRUPTION, region);
  if (isLast(region, ptr, len)) {
    assert(len <= bumpEnd(region), "a bump free rolled back past the region's start");
    setEnd(region, bumpEnd(region) - len);
    return Status.OK;
  }
  if (bumpOwns(region, ptr, len) || outside(owner, ptr, len)) return Status.OK;
  return fail(Status.INVALID_FREE, ptr);
}

/**
 * Resizes [ptr, ptr + len) to `newLen` in place. Shrinking always succeeds (the last allocation
 * gives its tail back); growing succeeds only for the last allocation and within the capacity.
 */
export function bumpResize(owner: usize, region: usize, ptr: usize, len: usize, newLen: usize,
  outside: OwnsOutside): Status {
  if (!bumpIntact(region)) return fail(Status.CORRUPTION, region);
  if (!isLast(region, ptr, len)) {
    if (!bumpOwns(region, ptr, len) && !outside(owner, ptr, len)) return fail(Status.INVALID_FREE, ptr);
    return newLen <= len ? Status.OK : Status.OUT_OF_MEMORY;
  }
  const end = <u64>bumpEnd(region) - <u64>len + <u64>newLen;
  if (end > <u64>bumpCapacity(region)) return Status.OUT_OF_MEMORY;
  setEnd(region, <usize>end);
  return Status.OK;
}

/** Checks the region's seal and invariant against the memory's end. */
export function bumpValid(region: usize): bool {
  return bumpIntact(region) && bumpEnd(region) <= bumpCapacity(region)
    && <u64>bumpStart(region) + <u64>bumpCapacity(region) <= (<u64>memory.size() << 16);
}
