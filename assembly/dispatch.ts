// The allocator interface inside WebAssembly: Zig's std.mem.Allocator vtable as a switch on the
// record's kind. Every allocator calls its backing allocator through these functions, so a
// backing call never leaves WebAssembly.
//
// Lengths are bytes, alignments are powers of two up to MAX_ALIGN (JavaScript checks both). An
// alignment of 0 given to resize or free means "as allocated": views do not remember theirs.

import { Kind, kindOf } from "./records";
import { Status, fail, clearStatus } from "./status";
import { pageAlloc, pageFree, pageResize } from "./page";
import { arenaAlloc, arenaFree, arenaResize, arenaDeinit } from "./arena";
import { fixedAlloc, fixedFree, fixedResize } from "./fixed";
import { gpaAlloc, gpaFree, gpaResize, gpaDeinit } from "./gpa";
import { freeRecord } from "./records";

/**
 * `len` bytes aligned to `align`, or 0 when out of memory. As in Zig, a zero-length allocation
 * gets `align` itself: a non-null address that must never be read.
 */
export function allocate(allocator: usize, len: usize, align: usize): usize {
  if (len == 0) return align;
  switch (kindOf(allocator)) {
    case Kind.ARENA: return arenaAlloc(allocator, len, align);
    case Kind.PAGE: return pageAlloc(len);
    case Kind.FIXED: return fixedAlloc(allocator, len, align);
    case Kind.GPA: return gpaAlloc(allocator, len, align);
  }
  return 0;
}

/**
 * Resizes [ptr, ptr + len) to `newLen` without moving it: OK, or OUT_OF_MEMORY when it cannot,
 * or the misuse it detected. A new length of 0 frees the allocation.
 */
export function resize(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): Status {
  if (len == 0) return newLen == 0 ? Status.OK : Status.OUT_OF_MEMORY;
  if (newLen == 0) return free(allocator, ptr, len, align);
  switch (kindOf(allocator)) {
    case Kind.ARENA: return arenaResize(allocator, ptr, len, newLen);
    case Kind.PAGE: return pageResize(ptr, len, newLen);
    case Kind.FIXED: return fixedResize(allocator, ptr, len, newLen);
    case Kind.GPA: return gpaResize(allocator, ptr, len, newLen, align);
  }
  return fail(Status.INVALID_FREE, ptr);
}

/** Frees [ptr, ptr + len), which `allocator` handed out with `align`. Length 0 is a no-op. */
export function free(allocator: usize, ptr: usize, len: usize, align: usize): Status {
  if (len == 0) return Status.OK;
  switch (kindOf(allocator)) {
    case Kind.ARENA: return arenaFree(allocator, ptr, len);
    case Kind.PAGE: return pageFree(ptr, len);
    case Kind.FIXED: return fixedFree(allocator, ptr, len);
    case Kind.GPA: return gpaFree(allocator, ptr, len, align);
  }
  return fail(Status.INVALID_FREE, ptr);
}

/**
 * Zig's remap: the allocation at a possibly new address without copying, or 0. No allocator
 * here can move memory without copying, so this is resize that answers with the address.
 */
export function remap(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): usize {
  clearStatus();
  return resize(allocator, ptr, len, newLen, align) == Status.OK ? ptr : 0;
}

/**
 * Resizes in place if it can, else allocates `newLen` bytes aligned to `align`, copies
 * min(len, newLen) bytes and frees the old allocation. The old allocation is checked as allocated
 * (alignment 0: whatever it was made with). 0 on failure, with the reason in the last status.
 */
export function reallocate(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize): usize {
  clearStatus();
  if (len == 0) return allocate(allocator, newLen, align);
  const status = resize(allocator, ptr, len, newLen, 0);
  if (status == Status.OK) return newLen == 0 ? align : ptr;
  if (status != Status.OUT_OF_MEMORY) return 0;
  const moved = allocate(allocator, newLen, align);
  if (moved == 0) {
    fail(Status.OUT_OF_MEMORY, ptr);
    return 0;
  }
  memory.copy(moved, ptr, min(len, newLen));
  free(allocator, ptr, len, 0);
  return moved;
}

/** Ends an allocator: gives back everything it holds, then its record. */
export function destroy(allocator: usize): void {
  switch (kindOf(allocator)) {
    case Kind.ARENA: arenaDeinit(allocator); return;
    case Kind.FIXED: freeRecord(allocator); return;
    case Kind.GPA: gpaDeinit(allocator); return;
  }
}
