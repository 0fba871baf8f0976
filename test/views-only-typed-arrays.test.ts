// Only typed arrays of the element kinds are views. A DataView (no BYTES_PER_ELEMENT: its byte
// count would come out NaN, then 0) or an object shaped like a view is a TypeError at the call,
// and the allocation it points at stays allocated.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, DoubleFreeError, GeneralPurposeAllocator, type Allocator, type Heap, type View } from "../src/index";
import { smallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["GPA", (heap) => new GeneralPurposeAllocator({ heap }).allocator()],
];

/** Things that point at a live allocation like its view does, without being a typed array. */
const impostors: [string, (view: Float64Array) => unknown][] = [
  ["a DataView", (view) => new DataView(view.buffer, view.byteOffset, view.byteLength)],
  ["a plain object shaped like the view", (view) => ({
    buffer: view.buffer, byteOffset: view.byteOffset, byteLength: view.byteLength,
    length: view.length, BYTES_PER_ELEMENT: 8, constructor: Float64Array,
  })],
  ["an object inheriting from Float64Array.prototype", (view) => Object.create(Float64Array.prototype, {
    buffer: { value: view.buffer }, byteOffset: { value: view.byteOffset },
    byteLength: { value: view.byteLength }, length: { value: view.length },
  })],
  ["an empty object", () => ({})],
];

const operations: [string, (a: Allocator, impostor: View) => unknown][] = [
  ["free", (a, v) => a.free(v)],
  ["resize", (a, v) => a.resize(v, 0)],
  ["realloc", (a, v) => a.realloc(v, 0)],
  ["destroy", (a, v) => a.destroy(v)],
];

describe.each(allocators)("the %s accepts only typed arrays as views", (_name, make) => {
  describe.each(impostors)("given %s", (_what, impostorOf) => {
    it.each(operations)("%s throws TypeError and frees nothing", (_op, operation) => {
      const heap = smallHeap();
      const a = make(heap);
      const view = a.create("f64");
      view[0] = 2.5;
      const before = heap.stats();
      expect(() => operation(a, impostorOf(view) as View)).toThrow(TypeError);
      expect(heap.stats()).toEqual(before);
      heap.validate();
      expect(view[0]).toBe(2.5);
      a.destroy(view);
      heap.validate();
    });
  });
});

describe("a view's facts come from the typed array itself", () => {
  it("an own property shadowing byteOffset does not redirect a free to another allocation", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap }).allocator();
    const other = a.alloc("f64", 4);
    const view = a.alloc("f64", 4);
    Object.defineProperty(view, "byteOffset", { value: other.byteOffset });
    a.free(view);
    heap.validate();
    // `view` was freed and `other` is still allocated: it frees once.
    expect(() => a.free(view)).toThrow(DoubleFreeError);
    a.free(other);
    heap.validate();
  });
});
