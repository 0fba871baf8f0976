// A bump region: the pointer-bumping core shared by the arena (its newest chunk) and the
// fixed-buffer allocator (its buffer). Three u32 fields inside an allocator record:
//
//   ┌───────┬──────────┬──────┐
//   │ start │ capacity │ end  │   allocations occupy [start, start + end); the rest is free
//   └───────┴──────────┴──────┘
//    +0      +4         +8

import { alignForward } from "./memory";

export const START: usize = 0;
export const CAPACITY: usize = 4;
export const END: usize = 8;
export const BUMP_SIZE: usize = 12;

// @ts-ignore: decorator
@inline export function bumpStart(region: usize): usize { return load<u32>(region + START); }
// @ts-ignore: decorator
@inline export function bumpCapacity(region: usize): usize { return load<u32>(region + CAPACITY); }
// @ts-ignore: decorator
@inline export function bumpEnd(region: usize): usize { return load<u32>(region + END); }

/** Points the region at `capacity` fresh bytes from `start`. */
export function bumpReset(region: usize, start: usize, capacity: usize): void {
  store<u32>(region + START, start);
  store<u32>(region + CAPACITY, capacity);
  store<u32>(region + END, 0);
}

/** `n` bytes aligned to `align` from the region, or 0 if they do not fit. */
// @ts-ignore: decorator
@inline export function bumpAlloc(region: usize, n: usize, align: usize): usize {
  const start = bumpStart(region);
  const addr = start + bumpEnd(region);
  const aligned = alignForward(addr, align);
  const newEnd = <u64>(aligned - start) + <u64>n;
  if (aligned < addr || newEnd > <u64>bumpCapacity(region)) return 0;
  store<u32>(region + END, <u32>newEnd);
  return aligned;
}

/**
 * Whether [ptr, ptr + len) is the region's most recent allocation. The sum is taken in 64 bits: in
 * 32 it wraps, and a ptr and len from JavaScript whose end passes 2^32 would pass for the last
 * allocation and roll the bump pointer back below the region's start.
 */
// @ts-ignore: decorator
@inline export function bumpIsLast(region: usize, ptr: usize, len: usize): bool {
  return <u64>ptr + <u64>len == <u64>(bumpStart(region) + bumpEnd(region));
}

/** Whether [ptr, ptr + len) lies inside the region's used bytes. */
export function bumpOwns(region: usize, ptr: usize, len: usize): bool {
  const start = bumpStart(region);
  return ptr >= start && <u64>ptr + <u64>len <= <u64>(start + bumpEnd(region));
}

/**
 * Resizes [ptr, ptr + len) to `newLen` in place. Shrinking always succeeds (the last allocation
 * gives its tail back); growing succeeds only for the last allocation and within the capacity.
 */
export function bumpResize(region: usize, ptr: usize, len: usize, newLen: usize): bool {
  if (!bumpIsLast(region, ptr, len)) return newLen <= len;
  const end = bumpEnd(region);
  if (newLen <= len) {
    store<u32>(region + END, end - (len - newLen));
    return true;
  }
  if (<u64>end + <u64>(newLen - len) > <u64>bumpCapacity(region)) return false;
  store<u32>(region + END, end + (newLen - len));
  return true;
}

/** Frees [ptr, ptr + len) if it is the last allocation; returns whether it was. */
// @ts-ignore: decorator
@inline export function bumpFree(region: usize, ptr: usize, len: usize): bool {
  if (!bumpIsLast(region, ptr, len)) return false;
  store<u32>(region + END, bumpEnd(region) - len);
  return true;
}
