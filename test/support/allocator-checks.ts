// The generic allocator checks Zig's lib/std/heap.zig runs against every allocator it ships
// (testAllocator, testAllocatorAligned, testAllocatorLargeAlignment, testAllocatorAlignedShrink),
// ported to the Allocator interface of this library. Each takes any Allocator, so every allocator
// suite (arena, page allocator, fixed buffer, GPA, …) can run the same checks:
//
//   import { runAllocatorChecks } from "./support/allocator-checks";
//   runAllocatorChecks(() => ({ allocator: myAllocator, done: () => cleanup() }));
//
// Where Zig wraps the allocator in mem.validationWrap, these checks assert the same things
// directly (lengths, alignment, contents) and call heap.validate() after each phase.
//
// Differences from Zig, because of the interface rather than the allocators:
// - Zig's slice of `*i32` is a u32 view holding the byte offsets of the created i32s, read back
//   through heap.i32 after the slice moved.
// - `allocator.resize(slice, n)` returning null is Zig's resize returning false.
// - Zig has no zero-sized element kinds here (u0); that step is left out.
// - "Large alignment" is 65536, the largest alignment the library accepts (one wasm page).
// - testAllocatorAlignedShrink keeps its stash in a JavaScript array where Zig uses an ArrayList
//   over a FixedBufferAllocator, and its "over-aligned" threshold is 32 wasm pages, as Zig's is
//   32 of its pages.

import { expect, it } from "vitest";
import type { Allocator, View } from "../../src/index";

export const WASM_PAGE = 65536;
/** The largest alignment an allocation may ask for. */
export const LARGE_ALIGN = 65536;

/** Whether byte offset `ptr` is a multiple of `align`. */
export const isAligned = (ptr: number, align: number): boolean => ptr % align === 0;

function expectAligned(view: View, align: number): void {
  expect(view.byteOffset % align, `byte offset ${view.byteOffset} aligned to ${align}`).toBe(0);
}

/**
 * Zig's testAllocator: a slice of 100 pointers to created i32s, grown to 20000 elements with
 * realloc (the pointers and what they point at survive), each i32 destroyed, the slice shrunk in
 * place to 50, 25 and 0 where the allocator can, reallocated from empty, freed; a zero-length
 * allocation; an allocation of 5 u32 filled and freed.
 */
export function testAllocator(allocator: Allocator): void {
  const heap = allocator.heap;

  let slice = allocator.alloc("u32", 100);
  expect(slice).toBeInstanceOf(Uint32Array);
  expect(slice.length).toBe(100);
  for (let i = 0; i < slice.length; i++) {
    const item = allocator.create("i32");
    expect(item.length).toBe(1);
    expectAligned(item, 4);
    item[0] = i;
    slice[i] = item.byteOffset;
  }

  slice = allocator.realloc(slice, 20000);
  expect(slice.length).toBe(20000);
  heap.validate();

  for (let i = 0; i < 100; i++) {
    const ptr = slice[i];
    expect(ptr, `pointer ${i} survived realloc`).not.toBe(0);
    expect(heap.i32[ptr / 4], `the i32 pointer ${i} points at`).toBe(i);
    allocator.destroy(heap.i32.subarray(ptr / 4, ptr / 4 + 1));
  }
  heap.validate();

  const to50 = allocator.resize(slice, 50);
  if (to50 !== null) {
    expect(to50.length).toBe(50);
    expect(to50.byteOffset).toBe(slice.byteOffset);
    slice = to50;
    const to25 = allocator.resize(slice, 25);
    if (to25 !== null) {
      expect(to25.length).toBe(25);
      expect(to25.byteOffset).toBe(slice.byteOffset);
      slice = to25;
      const to0 = allocator.resize(slice, 0);
      expect(to0, "resize to 0 always succeeds").not.toBeNull();
      expect(to0!.length).toBe(0);
      slice = allocator.realloc(to0!, 10);
      expect(slice.length).toBe(10);
    }
  }
  allocator.free(slice);
  heap.validate();

  // Zero-length allocation.
  const empty = allocator.alloc("u8", 0);
  expect(empty.length).toBe(0);
  allocator.free(empty);

  const oversize = allocator.alloc("u32", 5);
  expect(oversize.length).toBeGreaterThanOrEqual(5);
  oversize.fill(0xdeadbeef);
  expect([...oversize]).toEqual([0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef]);
  allocator.free(oversize);
  heap.validate();
}

/**
 * Zig's testAllocatorAligned: for alignments 1 through 64, a 10-byte allocation grown to 100 with
 * realloc, shrunk in place to 10 where possible, resized to 0 (always possible), reallocated from
 * empty to 100, shrunk to 10 where possible and resized to 0. The alignment holds throughout.
 */
export function testAllocatorAligned(allocator: Allocator): void {
  const heap = allocator.heap;
  for (const align of [1, 2, 4, 8, 16, 32, 64]) {
    let slice = allocator.alloc("u8", 10, { align });
    expect(slice.length).toBe(10);
    expectAligned(slice, align);
    slice.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    slice = allocator.realloc(slice, 100);
    expect(slice.length).toBe(100);
    expect([...slice.subarray(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const shrunk = allocator.resize(slice, 10);
    if (shrunk !== null) {
      expect(shrunk.byteOffset).toBe(slice.byteOffset);
      slice = shrunk;
    }
    const gone = allocator.resize(slice, 0);
    expect(gone, `resize to 0 at align ${align}`).not.toBeNull();
    expect(gone!.length).toBe(0);

    slice = allocator.realloc(gone!, 100);
    expect(slice.length).toBe(100);
    const shrunkAgain = allocator.resize(slice, 10);
    if (shrunkAgain !== null) slice = shrunkAgain;
    expect(allocator.resize(slice, 0), `second resize to 0 at align ${align}`).not.toBeNull();
    heap.validate();
  }
}

/**
 * Zig's testAllocatorLargeAlignment: a 500-byte allocation at the largest alignment keeps that
 * alignment through an in-place shrink to 100, a realloc to 5000, a shrink to 10 and a realloc
 * to 20000; the bytes written at the start survive every step.
 */
export function testAllocatorLargeAlignment(allocator: Allocator, align = LARGE_ALIGN): void {
  const heap = allocator.heap;
  let slice = allocator.alloc("u8", 500, { align });
  expectAligned(slice, align);
  slice.set([0x12, 0x34, 0x56]);

  const to100 = allocator.resize(slice, 100);
  if (to100 !== null) slice = to100;

  slice = allocator.realloc(slice, 5000);
  expectAligned(slice, align);
  expect([...slice.subarray(0, 3)]).toEqual([0x12, 0x34, 0x56]);

  const to10 = allocator.resize(slice, 10);
  if (to10 !== null) slice = to10;

  slice = allocator.realloc(slice, 20000);
  expectAligned(slice, align);
  expect([...slice.subarray(0, 3)]).toEqual([0x12, 0x34, 0x56]);

  allocator.free(slice);
  heap.validate();
}

/**
 * Zig's testAllocatorAlignedShrink: a 16-aligned allocation of two pages and 50 bytes, retried
 * while it happens to be over-aligned (to 32 pages), is reallocated to half its size; the bytes
 * at 0 and 60 survive.
 */
export function testAllocatorAlignedShrink(allocator: Allocator): void {
  const heap = allocator.heap;
  const allocSize = WASM_PAGE * 2 + 50;
  const overAligned = WASM_PAGE * 32;

  let slice = allocator.alloc("u8", allocSize, { align: 16 });
  const stash: Uint8Array[] = [];
  while (isAligned(slice.byteOffset, overAligned)) {
    stash.push(slice);
    slice = allocator.alloc("u8", allocSize, { align: 16 });
  }
  expectAligned(slice, 16);
  while (stash.length > 0) allocator.free(stash.pop()!);
  slice[0] = 0x12;
  slice[60] = 0x34;

  slice = allocator.realloc(slice, allocSize / 2);
  expect(slice.length).toBe(allocSize / 2);
  expect(slice[0]).toBe(0x12);
  expect(slice[60]).toBe(0x34);
  allocator.free(slice);
  heap.validate();
}

/** The four checks, in Zig's order. */
export function testAllAllocatorChecks(allocator: Allocator): void {
  testAllocator(allocator);
  testAllocatorAligned(allocator);
  testAllocatorLargeAlignment(allocator);
  testAllocatorAlignedShrink(allocator);
}

/**
 * Declares one vitest test per check. `setup` runs before each and returns the allocator under
 * test and what ends it (deinit, or nothing); after the check the heap must still validate.
 */
export function defineAllocatorChecks(setup: () => { allocator: Allocator; done?: () => void }): void {
  const checks: [string, (allocator: Allocator) => void][] = [
    ["testAllocator: pointers survive realloc, shrink to 0, zero-length and oversize allocations", testAllocator],
    ["testAllocatorAligned: alignments 1..64 hold through grow, shrink and resize to 0", testAllocatorAligned],
    ["testAllocatorLargeAlignment: 65536-byte alignment survives shrink and realloc", testAllocatorLargeAlignment],
    ["testAllocatorAlignedShrink: realloc to a smaller size keeps the bytes", testAllocatorAlignedShrink],
  ];
  for (const [name, check] of checks) {
    it(name, () => {
      const { allocator, done } = setup();
      check(allocator);
      done?.();
      allocator.heap.validate();
    });
  }
}
