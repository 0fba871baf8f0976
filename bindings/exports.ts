// The typed table of the core's exported functions (assembly/index.ts); its exported constants are
// in abi.generated.ts. Every value is a number: handles are addresses of allocator records,
// pointers and lengths are bytes. Addresses come back as signed i32, so callers read them with
// `>>> 0`.

import type { Status } from "./abi.generated";

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
  countersAddress(): number;
  firstPage(): number;
  topPage(): number;
  validate(): Status;

  arenaInit(backing: number): number;
  arenaReset(arena: number, mode: number, limit: number): number;
  arenaCapacity(arena: number): number;
  arenaCheckpoint(arena: number): number;
  arenaRestore(arena: number, chunks: number, end: number, resets: number): Status;

  fixedInit(ptr: number, len: number): number;
  fixedReset(fixed: number): void;
  fixedEndIndex(fixed: number): number;
  fixedOwns(fixed: number, ptr: number, len: number): number;

  poolInit(backing: number, len: number, align: number): number;
  poolPreheat(pool: number, count: number): number;
  poolReset(pool: number, mode: number, limit: number): number;

  definedInit(id: number): number;

  gpaInit(backing: number, flags: number, limit: number): number;
  gpaSetLimit(gpa: number, limit: number): void;
  gpaRequested(gpa: number): number;
  gpaLiveCount(gpa: number): number;
  gpaLeaks(gpa: number, skip: number): number;
  leakBatchAddress(): number;
  gpaStats(gpa: number): number;
}
