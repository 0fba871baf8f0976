// Arguments of the wrong type get an error that names the parameter, at the call, and change
// nothing: a BigInt length is a RangeError like any other bad length (not the engine's "Cannot
// mix BigInt"), a bad reset mode is described even when JSON cannot describe it, and a
// non-view is a TypeError before anything reads its length.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, type Heap, type View } from "../src/index";
import { smallHeap } from "./support/heaps";

/** Expects `call` to throw `errorClass` with a message matching `message`, changing nothing. */
function expectRejected(heap: Heap, call: () => unknown, errorClass: new (...args: never[]) => Error, message: RegExp): void {
  const before = heap.stats();
  expect(call).toThrow(errorClass);
  expect(call).toThrow(message);
  expect(heap.stats()).toEqual(before);
  heap.validate();
}

describe("BigInt arguments", () => {
  const calls: [string, (heap: Heap, view: Uint8Array) => unknown, RegExp][] = [
    ["alloc(kind, 10n)", (heap) => heap.pageAllocator.alloc("u8", 10n as never), /length must be a number, got the BigInt 10n/],
    ["alloc with align: 8n", (heap) => heap.pageAllocator.alloc("u8", 10, { align: 8n as never }), /align must be a number/],
    ["rawAlloc(10n)", (heap) => heap.pageAllocator.rawAlloc(10n as never), /length must be a number/],
    ["rawAlloc(10, 8n)", (heap) => heap.pageAllocator.rawAlloc(10, 8n as never), /align must be a number/],
    ["rawFree(8n, 10)", (heap) => heap.pageAllocator.rawFree(8n as never, 10), /byte offset must be a number/],
    ["rawResize(ptr, 10, 20n)", (heap) => heap.pageAllocator.rawResize(65536, 10, 20n as never), /newLen must be a number/],
    ["resize(view, 2n)", (heap, view) => heap.pageAllocator.resize(view, 2n as never), /length must be a number/],
    ["reserve(10n)", (heap) => heap.reserve(10n as never), /bytes must be a number/],
  ];

  it.each(calls)("%s is a RangeError naming the parameter", (_name, call, message) => {
    const heap = smallHeap();
    const view = heap.pageAllocator.alloc("u8", 1);
    expectRejected(heap, () => call(heap, view), RangeError, message);
  });

  it("memoryLimit = 10n is a RangeError and keeps the limit", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, memoryLimit: 100 });
    expect(() => { gpa.memoryLimit = 10n as never; }).toThrow(/memoryLimit must be a number/);
    expect(gpa.memoryLimit).toBe(100);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });
});

describe("arena.reset with a bad mode", () => {
  it.each([[10n, /got the BigInt 10n/], [{ retain_with_limit: 10n }, /retain_with_limit must be a number/],
    [{ keep: 1n }, /got \{"keep":"1n"\}/], [Symbol("mode"), /got Symbol\(mode\)/]])(
    "reset(%s) is a clear error that describes the argument", (mode, message) => {
      const heap = smallHeap();
      const arena = new ArenaAllocator(heap.pageAllocator);
      arena.allocator().alloc("u8", 100);
      expect(() => arena.reset(mode as never)).toThrow(message);
      expect(() => arena.reset(mode as never)).toThrow(typeof mode === "object" && "retain_with_limit" in mode ? RangeError : TypeError);
      heap.validate();
      expect(arena.reset("free_all")).toBe(true);
      arena.deinit();
      heap.validate();
    });
});

describe("non-views where a view is expected", () => {
  it.each([[{}], [null], [undefined], [[1]], [new ArrayBuffer(8)]])("destroy(%s) is a TypeError: not a view", (value) => {
    const heap = smallHeap();
    heap.pageAllocator.create("f64");
    expectRejected(heap, () => heap.pageAllocator.destroy(value as unknown as View), TypeError, /expected a view/);
  });

  it("new FixedBufferAllocator(aDataView) and fba.ownsSlice(aDataView) are TypeErrors", () => {
    const heap = smallHeap();
    const buffer = heap.pageAllocator.alloc("u8", 256);
    const dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    expectRejected(heap, () => new FixedBufferAllocator(dataView as unknown as View), TypeError, /typed.array/);
    const fba = new FixedBufferAllocator(buffer);
    expectRejected(heap, () => fba.ownsSlice(dataView as unknown as View), TypeError, /expected a view/);
  });
});
