// The typed table of the core's exports (assembly/index.ts). Every value is a number: handles are
// addresses of allocator records, pointers and lengths are bytes. Addresses come back as signed
// i32, so callers read them with `>>> 0`.

import type { Status } from "./status";

export interface CoreExports {
  init(maximumPages: number): number;
  alloc(allocator: number, len: number, align: number): number;
  resize(allocator: number, ptr: number, len: number, newLen: number, align: number): Status;
  remap(allocator: number, ptr: number, len: number, newLen: number, align: number): number;
  realloc(allocator: number, ptr: number, len: number, newLen: number, align: number): number;
  free(allocator: number, ptr: number, len: number, align: number): Status;
  destroy(allocator: number): void;
  lastStatus(): Status;
  lastAddress(): number;

  reserve(bytes: number): number;
  statsAddress(): number;
  firstPage(): number;
  topPage(): number;
  validate(): Status;

  arenaInit(backing: number): number;
  arenaReset(arena: number, mode: number, limit: number): number;
  arenaCapacity(arena: number): number;

  fixedInit(ptr: number, len: number): number;
  fixedReset(fixed: number): void;
  fixedEndIndex(fixed: number): number;
  fixedOwns(fixed: number, ptr: number, len: number): number;

  gpaInit(backing: number, flags: number, limit: number): number;
  gpaSetLimit(gpa: number, limit: number): void;
  gpaRequested(gpa: number): number;
  gpaLiveCount(gpa: number): number;
  gpaLeaks(gpa: number, out: number, capacity: number): number;
  gpaStats(gpa: number): number;
}

/** Offsets of the page allocator's u32 counters at statsAddress(); see PageStat in assembly/page.ts. */
export const enum PageStat { GROWS = 0, ALLOCS = 4, FREES = 8, RESIZES = 12, USED = 16, FREE = 20 }
/**
 * Offsets of the u32 counters gpaStats() fills; see GpaStat in assembly/gpa-inspect.ts. One row
 * per size class from CLASSES on, CLASS_STRIDE bytes apart.
 */
export const enum GpaStat {
  REQUESTED = 0, LIVE = 4, SLABS = 8, SPARE = 12, LARGE_COUNT = 16, LARGE_BYTES = 20, DIRECTORY_BYTES = 24,
  CLASS_COUNT = 28, CLASSES = 32, CLASS_SIZE = 0, CLASS_SLABS = 4, CLASS_LIVE = 8, CLASS_STRIDE = 12,
}
