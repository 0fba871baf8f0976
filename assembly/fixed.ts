// FixedBufferAllocator: Zig's std.heap.FixedBufferAllocator. It bumps through one caller-owned
// buffer and never asks anyone for more; free and resize touch only the last allocation.
//
//   record body ┌──────────────────────────┐
//               │ region: start, cap, end  │   the buffer is [start, start + cap)
//               └──────────────────────────┘
//                BODY+0

import { BODY, Kind, newRecord } from "./records";
import { bumpAlloc, bumpEnd, bumpCapacity, bumpStart, bumpFree, bumpIsLast, bumpOwns, bumpResize,
  bumpReset, END } from "./bump";
import { Status, fail } from "./status";

const REGION: usize = BODY;

/** A fixed-buffer allocator over [buffer, buffer + len); 0 if no record could be made. */
export function fixedInit(buffer: usize, len: usize): usize {
  const fixed = newRecord(Kind.FIXED);
  if (fixed != 0) bumpReset(fixed + REGION, buffer, len);
  return fixed;
}

// @ts-ignore: decorator
@inline export function fixedAlloc(fixed: usize, n: usize, align: usize): usize {
  return bumpAlloc(fixed + REGION, n, align);
}

export function fixedFree(fixed: usize, ptr: usize, len: usize): Status {
  if (bumpFree(fixed + REGION, ptr, len) || bumpOwns(fixed + REGION, ptr, len)) return Status.OK;
  return fail(Status.INVALID_FREE, ptr);
}

export function fixedResize(fixed: usize, ptr: usize, len: usize, newLen: usize): Status {
  if (bumpIsLast(fixed + REGION, ptr, len)) {
    return bumpResize(fixed + REGION, ptr, len, newLen) ? Status.OK : Status.OUT_OF_MEMORY;
  }
  if (!bumpOwns(fixed + REGION, ptr, len)) return fail(Status.INVALID_FREE, ptr);
  return newLen <= len ? Status.OK : Status.OUT_OF_MEMORY;
}

/** Forgets every allocation: the whole buffer is free again. */
export function fixedReset(fixed: usize): void {
  store<u32>(fixed + REGION + END, 0);
}

/** The bytes used so far, alignment padding included (Zig's end_index). */
export function fixedEndIndex(fixed: usize): usize {
  return bumpEnd(fixed + REGION);
}

/** Whether [ptr, ptr + len) lies inside the buffer (Zig's ownsSlice; ownsPtr is len 1). */
export function fixedOwns(fixed: usize, ptr: usize, len: usize): bool {
  const start = bumpStart(fixed + REGION);
  return ptr >= start && <u64>ptr + <u64>len <= <u64>start + <u64>bumpCapacity(fixed + REGION);
}

export function fixedValidate(fixed: usize): Status {
  const region = fixed + REGION;
  const end = <u64>bumpStart(region) + <u64>bumpCapacity(region);
  if (bumpEnd(region) > bumpCapacity(region) || end > (<u64>memory.size() << 16)) {
    return fail(Status.CORRUPTION, fixed);
  }
  return Status.OK;
}
