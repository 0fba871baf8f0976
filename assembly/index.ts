// The exported ABI: numbers in, numbers out. Functions are typed for JavaScript in
// bindings/exports.ts; every exported constant (a global) is read by the build into
// bindings/abi.generated.ts, so each constant that crosses the boundary is written once, here.
//
// Handles are the addresses of allocator records; pointers and lengths are bytes.

import { Status, fail, clearStatus, getLastStatus, getLastAddress } from "./status";
import { pageInit, pageReserve, pageValidate, pageFirst, pageTop, pageCounters, PAGE } from "./page";
import { RECORD_SIZE, newRecord, firstRecord, nextRecord, vtableAddressOf, referenceOf } from "./records";
import * as dispatch from "./dispatch";
import { ARENA, arenaAlloc } from "./arena";
import { GPA, gpaAlloc, gpaFree } from "./gpa/index";
import { isVTable } from "./vtable";
import { pagesFor } from "./memory";

export { Status };
export { PAGE_SIZE, MAX_PAGES, MAX_ALIGN } from "./memory";
export { PageCounter } from "./page";
export { BUMP_START, BUMP_CAPACITY, BUMP_END, BUMP_SEAL, BUMP_SIZE, SEAL_KEY } from "./bump";
export { destroy } from "./dispatch";
export { RECORD_SIZE };
export { ARENA_REGION, CHUNK_HEADER, ResetMode, CheckpointField, arenaInit, arenaReset, arenaCapacity, arenaCheckpoint,
  arenaRestore } from "./arena";
export { FIXED_REGION, fixedInit, fixedReset, fixedEndIndex, fixedOwns } from "./fixed";
export { poolInit, poolPreheat, poolReset } from "./pool";
export { definedInit } from "./defined";
export { GpaFlag, GPA_NO_LIMIT, GpaStat, GpaClassStat, LeakField, LEAK_BATCH, MAX_SMALL, QUARANTINE_SLOTS, gpaInit, gpaSetLimit,
  gpaRequested, gpaLiveCount, gpaLeaks, leakBatchAddress, gpaStats } from "./gpa/index";
export { getLastStatus as lastStatus, getLastAddress as lastAddress };

// The allocator interface for JavaScript: dispatch.ts's, with the caller being the allocator's
// own user. A call that returns 0 leaves its reason in lastStatus (OK for out of memory).

// alloc and free call the two hot kinds directly, past the vtable: JavaScript makes millions of
// arena allocations and GPA alloc/free pairs a second, and through the vtable an arena bump
// costs 1.5 times what it does inlined here (8.9 against 5.6 ns), a GPA pair 1.2 times.

/** `len` bytes aligned to `align` from `allocator`, or 0. */
export function alloc(allocator: usize, len: usize, align: usize): usize {
  const vtable = vtableAddressOf(allocator);
  if (len != 0 && vtable == ARENA) return arenaAlloc(allocator, len, align, 0);
  clearStatus();
  if (len != 0 && vtable == GPA) return gpaAlloc(allocator, len, align, 0);
  return dispatch.alloc(allocator, len, align, referenceOf(allocator));
}

export function resize(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): Status {
  return dispatch.resize(allocator, ptr, len, newLen, align, referenceOf(allocator));
}

export function remap(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): usize {
  return dispatch.remap(allocator, ptr, len, newLen, align, referenceOf(allocator));
}

export function realloc(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): usize {
  return dispatch.realloc(allocator, ptr, len, newLen, align, referenceOf(allocator));
}

export function free(allocator: usize, ptr: usize, len: usize, align: usize): Status {
  if (len != 0 && !dispatch.isBelowHeap(ptr) && vtableAddressOf(allocator) == GPA) return gpaFree(allocator, ptr, len, align, 0);
  return dispatch.free(allocator, ptr, len, align, referenceOf(allocator));
}

/** Lays out a heap of at most `maximumPages` pages; returns the page allocator's handle, or 0. */
export function init(maximumPages: u32): usize {
  return pageInit(maximumPages) ? newRecord(PAGE) : 0;
}

/** Grows memory now so that `bytes` more can be handed out in pages without growing. */
export function reserve(bytes: usize): bool {
  return pageReserve(pagesFor(bytes));
}

/** The address of the page allocator's counters (PageCounter words). */
export function countersAddress(): usize { return pageCounters; }
export function firstPage(): u32 { return pageFirst(); }
export function topPage(): u32 { return pageTop(); }

/** Walks the page map and every live allocator's metadata; the first broken invariant found. */
export function validate(): Status {
  let status = pageValidate();
  // Bounded by the records memory could hold, so a cycle in the list is corruption, not a hang.
  let budget = (<u64>memory.size() << 16) / <u64>RECORD_SIZE;
  for (let record = firstRecord(); record != 0 && status == Status.OK; record = nextRecord(record)) {
    if (budget-- == 0) return fail(Status.CORRUPTION, record);
    status = isVTable(vtableAddressOf(record)) ? dispatch.validateAllocator(record) : fail(Status.CORRUPTION, record);
  }
  return status;
}
