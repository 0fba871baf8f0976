// TypeScript ports of Zig's tests for this allocator: the generic checks of lib/std/heap.zig
// (testAllocator, testAllocatorAligned, testAllocatorLargeAlignment, testAllocatorAlignedShrink;
// see support/allocator-checks.ts) against the GPA with safety on and off, and the tests in
// lib/std/heap/debug_allocator.zig, each ending as Zig's do: deinit() must say "ok".

import { describe, expect, it } from "vitest";
import { ArenaAllocator, GeneralPurposeAllocator, OutOfMemoryError } from "../src/index";
import { defineAllocatorChecks } from "./support/allocator-checks";
import { PAGE, smallHeap } from "./support/heaps";
import { SAFETY_MODES, freshGpa } from "./support/gpa";

/** Zig's default page size for the GPA on wasm32. */
const ZIG_PAGE = PAGE;

describe.each([
  ["safety on", { safety: true }],
  ["safety off", { safety: false }],
  ["safety on, stack traces", { safety: true, stackTraces: true }],
  ["safety off, stack traces", { safety: false, stackTraces: true }],
] as const)("heap.zig's generic allocator checks (%s)", (_name, options) => {
  defineAllocatorChecks(() => {
    const { gpa, a } = freshGpa(options);
    return { allocator: a, done: () => expect(gpa.deinit()).toBe("ok") };
  });
});

describe("heap.zig's generic allocator checks over an arena-backed GPA", () => {
  defineAllocatorChecks(() => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const gpa = new GeneralPurposeAllocator({ backing: arena.allocator() });
    return { allocator: gpa.allocator(), done: () => { expect(gpa.deinit()).toBe("ok"); arena.deinit(); } };
  });
});

describe.each(SAFETY_MODES)("debug_allocator.zig (%s)", (_mode, safety) => {
  function check(body: (ctx: ReturnType<typeof freshGpa>) => void): void {
    const ctx = freshGpa({ safety });
    body(ctx);
    ctx.heap.validate();
    expect(ctx.gpa.deinit()).toBe("ok");
    ctx.heap.validate();
  }

  it("small allocations - free in same order", () => check(({ a }) => {
    const list = Array.from({ length: 513 }, () => a.create("u64"));
    for (const ptr of list) a.destroy(ptr);
  }));

  it("small allocations - free in reverse order", () => check(({ a }) => {
    const list = Array.from({ length: 513 }, () => a.create("u64"));
    while (list.length > 0) a.destroy(list.pop()!);
  }));

  it("large allocations", () => check(({ a }) => {
    const ptr1 = a.alloc("u64", 42768);
    const ptr2 = a.alloc("u64", 52768);
    a.free(ptr1);
    const ptr3 = a.alloc("u64", 62768);
    a.free(ptr3);
    a.free(ptr2);
  }));

  it("very large allocation", () => check(({ a }) => {
    expect(() => a.alloc("u8", 2 ** 32 - 1)).toThrow(OutOfMemoryError);
  }));

  it("realloc", () => check(({ a }) => {
    let slice = a.alloc("u8", 1, { align: 4 });
    slice[0] = 0x12;
    // This reallocation keeps its address.
    const old = slice;
    slice = a.realloc(slice, 2);
    expect(slice.byteOffset).toBe(old.byteOffset);
    expect(slice[0]).toBe(0x12);
    slice[1] = 0x34;
    // This one needs a larger size class.
    slice = a.realloc(slice, 17);
    expect([slice[0], slice[1]]).toEqual([0x12, 0x34]);
    a.free(slice);
  }));

  it("shrink", () => check(({ a }) => {
    let slice = a.alloc("u8", 20);
    slice.fill(0x11);
    slice = a.resize(slice, 17)!;
    expect(slice).not.toBeNull();
    expect(slice.every((b) => b === 0x11)).toBe(true);
    // Shrinking does not cross a size class boundary.
    expect(a.resize(slice, 16)).toBeNull();
    a.free(slice);
  }));

  it("large object - grow (in place here: wasm pages above are free)", () => check(({ a }) => {
    a.free(a.alloc("u8", 2 * ZIG_PAGE)); // the directory first, so it is not above the block
    let slice = a.alloc("u8", ZIG_PAGE * 2 - 20);
    const old = slice;
    slice = a.realloc(slice, ZIG_PAGE * 2 - 10);
    expect(slice.byteOffset).toBe(old.byteOffset);
    slice = a.realloc(slice, ZIG_PAGE * 2);
    expect(slice.byteOffset).toBe(old.byteOffset);
    slice = a.realloc(slice, ZIG_PAGE * 2 + 1);
    a.free(slice);
  }));

  it("realloc small object to large object", () => check(({ a }) => {
    let slice = a.alloc("u8", 70);
    slice[0] = 0x12;
    slice[60] = 0x34;
    slice = a.realloc(slice, ZIG_PAGE * 2 + 50);
    expect([slice[0], slice[60]]).toEqual([0x12, 0x34]);
    a.free(slice);
  }));

  it("shrink large object to large object", () => check(({ a }) => {
    let slice = a.alloc("u8", ZIG_PAGE * 2 + 50);
    slice[0] = 0x12;
    slice[60] = 0x34;
    slice = a.resize(slice, ZIG_PAGE * 2 + 1)!;
    expect(slice).not.toBeNull();
    expect([slice[0], slice[60]]).toEqual([0x12, 0x34]);
    slice = a.resize(slice, ZIG_PAGE * 2 + 1)!;
    expect([slice[0], slice[60]]).toEqual([0x12, 0x34]);
    slice = a.realloc(slice, ZIG_PAGE * 2);
    expect([slice[0], slice[60]]).toEqual([0x12, 0x34]);
    a.free(slice);
  }));

  it("realloc large object to small object", () => check(({ a }) => {
    let slice = a.alloc("u8", ZIG_PAGE * 2 + 50);
    slice[0] = 0x12;
    slice[16] = 0x34;
    slice = a.realloc(slice, 19);
    expect([slice[0], slice[16]]).toEqual([0x12, 0x34]);
    a.free(slice);
  }));

  it("large object rejects shrinking to small", () => check(({ a }) => {
    const slice = a.alloc("u8", ZIG_PAGE * 2 + 50);
    slice[0] = 0x12;
    slice[3] = 0x34;
    expect(a.resize(slice, 4)).toBeNull();
    expect([slice[0], slice[3]]).toEqual([0x12, 0x34]);
    a.free(slice);
  }));

  it("non-page-allocator backing allocator", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const gpa = new GeneralPurposeAllocator({ safety, backing: arena.allocator() });
    const ptr = gpa.allocator().create("i32");
    gpa.allocator().destroy(ptr);
    expect(gpa.deinit()).toBe("ok");
    arena.deinit();
    heap.validate();
  });

  it("objects of size 1024 and 2048", () => check(({ a }) => {
    const slice = a.alloc("u8", 1025);
    const slice2 = a.alloc("u8", 3000);
    a.free(slice);
    a.free(slice2);
  }));

  it("setting a memory cap", () => check(({ gpa, a }) => {
    gpa.memoryLimit = 1010;
    const small = a.create("i32");
    expect(gpa.totalRequestedBytes).toBe(4);
    const big = a.alloc("u8", 1000);
    expect(gpa.totalRequestedBytes).toBe(1004);
    expect(() => a.create("u64")).toThrow(OutOfMemoryError);
    a.destroy(small);
    expect(gpa.totalRequestedBytes).toBe(1000);
    a.free(big);
    expect(gpa.totalRequestedBytes).toBe(0);
    const exact = a.alloc("u8", 1010);
    expect(gpa.totalRequestedBytes).toBe(1010);
    a.free(exact);
  }));

  it("large allocations count requested size not backing size", () => check(({ gpa, a }) => {
    let buf = a.alloc("u8", ZIG_PAGE + 1);
    expect(gpa.totalRequestedBytes).toBe(ZIG_PAGE + 1);
    buf = a.realloc(buf, 1);
    expect(gpa.totalRequestedBytes).toBe(1);
    buf = a.realloc(buf, 2);
    expect(gpa.totalRequestedBytes).toBe(2);
    a.free(buf);
  }));
});
