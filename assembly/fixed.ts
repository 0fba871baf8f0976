// FixedBufferAllocator: Zig's std.heap.FixedBufferAllocator. It bumps through one caller-owned
// buffer and never asks anyone for more; free and resize touch only the last allocation.
//
//   record body ┌────────────────────────────────┐
//               │ region: start, cap, end, seal  │   the buffer is [start, start + cap)
//               └────────────────────────────────┘
//                FIXED_REGION

import { BODY, RECORD_SIZE, newRecord, freeRecord } from "./records";
import { BUMP_SIZE, bumpAlloc, bumpEnd, bumpFree, bumpResize, bumpReset, bumpClear, bumpContains,
  bumpValid, bumpIntact } from "./bump";
import { Status, fail } from "./status";
import { defineVTable } from "./vtable";

/** Where the bump region sits in the record (exported: JavaScript may bump it). */
export const FIXED_REGION: usize = BODY;
const FIXED_END: usize = FIXED_REGION + BUMP_SIZE;
if (FIXED_END > RECORD_SIZE) ERROR("the fixed buffer's fields overflow its record");

/** A fixed buffer hands out nothing outside its one region. */
function ownsNothingOutside(_fixed: usize, _ptr: usize, _len: usize): bool { return false; }

function fixedAlloc(fixed: usize, n: usize, align: usize, _caller: usize): usize {
  const ptr = bumpAlloc(fixed + FIXED_REGION, n, align);
  if (ptr == 0 && !bumpIntact(fixed + FIXED_REGION)) fail(Status.CORRUPTION, fixed);
  return ptr;
}

function fixedFree(fixed: usize, ptr: usize, len: usize, _align: usize, _caller: usize): Status {
  return bumpFree(fixed, fixed + FIXED_REGION, ptr, len, ownsNothingOutside);
}

function fixedResize(fixed: usize, ptr: usize, len: usize, newLen: usize, _align: usize, _caller: usize): Status {
  return bumpResize(fixed, fixed + FIXED_REGION, ptr, len, newLen, ownsNothingOutside);
}

function fixedValidate(fixed: usize): Status {
  return bumpValid(fixed + FIXED_REGION) ? Status.OK : fail(Status.CORRUPTION, fixed);
}

const FIXED = defineVTable(fixedAlloc, fixedResize, fixedFree, freeRecord, fixedValidate);

/** A fixed-buffer allocator over [buffer, buffer + len); 0 if no record could be made. */
export function fixedInit(buffer: usize, len: usize): usize {
  const fixed = newRecord(FIXED);
  if (fixed != 0) bumpReset(fixed + FIXED_REGION, buffer, len);
  return fixed;
}

/** Forgets every allocation: the whole buffer is free again. */
export function fixedReset(fixed: usize): void {
  bumpClear(fixed + FIXED_REGION);
}

/** The bytes used so far, alignment padding included (Zig's end_index). */
export function fixedEndIndex(fixed: usize): usize {
  return bumpEnd(fixed + FIXED_REGION);
}

/** Whether [ptr, ptr + len) lies inside the buffer (Zig's ownsSlice; ownsPtr is len 1). */
export function fixedOwns(fixed: usize, ptr: usize, len: usize): bool {
  return bumpContains(fixed + FIXED_REGION, ptr, len);
}
