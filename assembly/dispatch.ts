// Calls through an allocator's vtable (see vtable.ts): what the exported ABI calls, and what every
// allocator uses to reach its backing allocator. Zero lengths and addresses below the heap are
// settled here, once, so no allocator sees them.
//
// Lengths are bytes, alignments are powers of two up to MAX_ALIGN (JavaScript checks both). An
// alignment of 0 given to resize or free means "as allocated": views do not remember theirs.
// `caller` is a reference to whoever asks (reference.ts).

import { vtableAddressOf, liveRecord, referenceOf } from "./records";
import { VTable, isVTable } from "./vtable";
import { Status, clearStatus, fail } from "./status";
import { pageFirst } from "./page";
import { pageAddress } from "./memory";

/**
 * Whether `ptr` lies below every page an allocator can hand out: 0 (never an allocation), the
 * statics, the page map. No allocator is asked to free or resize such an address.
 */
// @ts-ignore: decorator
@inline export function isBelowHeap(ptr: usize): bool { return ptr < pageAddress(pageFirst()); }

/**
 * Whether [ptr, ptr + len) could be a block handed out at `align`: aligned, above the metadata and
 * inside memory. What the core checks of an address it did not compute itself.
 */
export function isPlausibleBlock(ptr: usize, len: usize, align: usize): bool {
  return (ptr & (align - 1)) == 0 && !isBelowHeap(ptr) && <u64>ptr + <u64>len <= (<u64>memory.size() << 16);
}

/**
 * The vtable `allocator`'s first word names, or 0 with CORRUPTION (naming the record) when it
 * names none: a damaged record must not send a call through whatever its word points at (a
 * vtable shifted by a few bytes reaches functions of the right signature in the wrong slots,
 * remapInPlace calling itself without end among them).
 */
// @ts-ignore: decorator
@inline function vtableOf(allocator: usize): VTable | null {
  const address = vtableAddressOf(allocator);
  if (isVTable(address)) return changetype<VTable>(address);
  fail(Status.CORRUPTION, allocator);
  return null;
}

/**
 * `len` bytes aligned to `align`, or 0 when out of memory. As in Zig, a zero-length allocation
 * gets `align` itself: a non-null address that must never be read.
 */
export function alloc(allocator: usize, len: usize, align: usize, caller: usize): usize {
  if (len == 0) return align;
  const vtable = vtableOf(allocator);
  return vtable == null ? 0 : vtable.alloc(allocator, len, align, caller);
}

/**
 * Resizes [ptr, ptr + len) to `newLen` without moving it: OK, or OUT_OF_MEMORY when it cannot,
 * or the misuse it detected. A new length of 0 frees the allocation.
 */
export function resize(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize): Status {
  if (len == 0) return newLen == 0 ? Status.OK : Status.OUT_OF_MEMORY;
  if (newLen == 0) return free(allocator, ptr, len, align, caller);
  if (isBelowHeap(ptr)) return fail(Status.INVALID_FREE, ptr);
  const vtable = vtableOf(allocator);
  return vtable == null ? Status.CORRUPTION : vtable.resize(allocator, ptr, len, newLen, align, caller);
}

/** Frees [ptr, ptr + len), which `allocator` handed out with `align`. Length 0 is a no-op. */
export function free(allocator: usize, ptr: usize, len: usize, align: usize, caller: usize): Status {
  if (len == 0) return Status.OK;
  if (isBelowHeap(ptr)) return fail(Status.INVALID_FREE, ptr);
  const vtable = vtableOf(allocator);
  return vtable == null ? Status.CORRUPTION : vtable.free(allocator, ptr, len, align, caller);
}

/**
 * Zig's remap: the allocation at a possibly new address without copying, or 0. Only an allocator
 * written in TypeScript may move it (vtable.ts); lengths of 0 and addresses below the heap are
 * resize's cases, answered with the address.
 */
export function remap(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize): usize {
  clearStatus();
  if (len == 0 || newLen == 0 || isBelowHeap(ptr)) return resize(allocator, ptr, len, newLen, align, caller) == Status.OK ? ptr : 0;
  const vtable = vtableOf(allocator);
  if (vtable == null) return 0;
  const moved = vtable.remap(allocator, ptr, len, newLen, align, caller);
  // A remap has a resize's WebAssembly signature: through a damaged vtable entry, a resize's status
  // would pass for an address. Nothing implausible leaves the core.
  if (moved != 0 && !isPlausibleBlock(moved, newLen, max(align, 1))) {
    fail(Status.CORRUPTION, allocator);
    return 0;
  }
  return moved;
}

/**
 * Resizes in place if it can, else allocates `newLen` bytes aligned to `align`, copies
 * min(len, newLen) bytes and frees the old allocation. The old allocation is checked as allocated
 * (alignment 0: whatever it was made with). 0 on failure, with the reason in the last status, and
 * the old allocation intact.
 */
export function realloc(allocator: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize): usize {
  clearStatus();
  if (len == 0) return alloc(allocator, newLen, align, caller);
  const status = resize(allocator, ptr, len, newLen, 0, caller);
  if (status == Status.OK) return newLen == 0 ? align : ptr;
  if (status != Status.OUT_OF_MEMORY) return 0;
  const moved = alloc(allocator, newLen, align, caller);
  if (moved == 0) {
    fail(Status.OUT_OF_MEMORY, ptr);
    return 0;
  }
  memory.copy(moved, ptr, min(len, newLen));
  free(allocator, ptr, len, 0, caller);
  return moved;
}

/** Ends an allocator: gives back everything it holds, then its record. */
export function destroy(allocator: usize): void {
  const vtable = vtableOf(allocator);
  if (vtable != null) vtable.deinit(allocator);
}

/** Checks one allocator's own metadata. */
export function validateAllocator(allocator: usize): Status {
  const vtable = vtableOf(allocator);
  return vtable == null ? Status.CORRUPTION : vtable.validate(allocator);
}

// What an allocator calls its backing allocator with: the reference it keeps, which goes stale
// when the backing allocator is deinitialized (then DEINITIALIZED, and nothing is touched).

/** `len` bytes from the backing allocator `backing` for the allocator `self`; 0 on failure. */
export function backingAlloc(self: usize, backing: usize, len: usize, align: usize): usize {
  const record = liveRecord(backing);
  if (record == 0) {
    fail(Status.DEINITIALIZED, self);
    return 0;
  }
  return alloc(record, len, align, referenceOf(self));
}

export function backingResize(self: usize, backing: usize, ptr: usize, len: usize, newLen: usize, align: usize): Status {
  const record = liveRecord(backing);
  if (record == 0) return fail(Status.DEINITIALIZED, self);
  return resize(record, ptr, len, newLen, align, referenceOf(self));
}

export function backingFree(self: usize, backing: usize, ptr: usize, len: usize, align: usize): Status {
  const record = liveRecord(backing);
  if (record == 0) return fail(Status.DEINITIALIZED, self);
  return free(record, ptr, len, align, referenceOf(self));
}
