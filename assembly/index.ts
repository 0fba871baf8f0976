// The exported ABI: numbers in, numbers out. bindings/exports.ts types this table for JavaScript.
//
// Handles are the addresses of allocator records; pointers and lengths are bytes.

import { Status, getLastStatus, getLastAddress } from "./status";
import { pageInit, pageReserve, pageValidate, pageStats, pageFirst, pageTop } from "./page";
import { Kind, newRecord, firstRecord, nextRecord, kindOf } from "./records";
import { arenaValidate } from "./arena";
import { fixedValidate } from "./fixed";
import { gpaValidate } from "./gpa-inspect";
import { pagesFor } from "./memory";

export { allocate as alloc, resize, remap, reallocate as realloc, free, destroy } from "./dispatch";
export { arenaInit, arenaReset, arenaCapacity } from "./arena";
export { fixedInit, fixedReset, fixedEndIndex, fixedOwns } from "./fixed";
export { gpaInit, gpaSetLimit, gpaRequested } from "./gpa";
export { gpaLiveCount, gpaLeaks, gpaStats } from "./gpa-inspect";
export { getLastStatus as lastStatus, getLastAddress as lastAddress };

/** Lays out a heap of at most `maximumPages` pages; returns the page allocator's handle, or 0. */
export function init(maximumPages: u32): usize {
  return pageInit(maximumPages) ? newRecord(Kind.PAGE) : 0;
}

/** Grows memory now so that `bytes` more can be handed out in pages without growing. */
export function reserve(bytes: usize): bool {
  return pageReserve(pagesFor(bytes));
}

/** The address of the page allocator's counters (see PageStat in page.ts). */
export function statsAddress(): usize { return pageStats; }
export function firstPage(): u32 { return pageFirst(); }
export function topPage(): u32 { return pageTop(); }

/** Walks the page map and every live allocator's metadata; the first broken invariant found. */
export function validate(): Status {
  let status = pageValidate();
  for (let record = firstRecord(); record != 0 && status == Status.OK; record = nextRecord(record)) {
    switch (kindOf(record)) {
      case Kind.ARENA: status = arenaValidate(record); break;
      case Kind.FIXED: status = fixedValidate(record); break;
      case Kind.GPA: status = gpaValidate(record); break;
    }
  }
  return status;
}
