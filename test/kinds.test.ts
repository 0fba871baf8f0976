// Element kinds: every kind by name and by constructor, its view type, length, natural and asked
// alignment, { zero: true }, empty views, dupe, create and destroy.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, type Allocator, type Heap } from "../src/index";
import { KIND_TABLE, smallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 1 << 20)).allocator()],
];

const ALIGNS = Array.from({ length: 17 }, (_, i) => 2 ** i); // 1 … 65536

describe.each(allocators)("element kinds from the %s", (_name, make) => {
  it.each(KIND_TABLE)("alloc(%s, n) and alloc(its constructor, n) give that view type, length and natural alignment", (name, ctor) => {
    const heap = smallHeap();
    const a = make(heap);
    for (const kind of [name, ctor as never]) {
      for (const n of [1, 3, 17, 1000]) {
        const view = a.alloc(kind, n);
        expect(view).toBeInstanceOf(ctor);
        expect(view.length).toBe(n);
        expect(view.byteLength).toBe(n * ctor.BYTES_PER_ELEMENT);
        expect(view.byteOffset % ctor.BYTES_PER_ELEMENT).toBe(0);
        expect(view.byteOffset).toBeGreaterThan(0);
        expect(view.buffer.byteLength).toBe(heap.memory.buffer.byteLength);
      }
    }
    heap.validate();
  });

  it.each(KIND_TABLE)("alloc(%s, n, { align }) meets every power-of-two alignment up to 65536", (name, ctor) => {
    const heap = smallHeap();
    const a = make(heap);
    for (const align of ALIGNS) {
      // An odd-sized allocation first, so that the next address is not already aligned.
      a.alloc("u8", 1);
      const view = a.alloc(name, 3, { align });
      expect(view.byteOffset % Math.max(align, ctor.BYTES_PER_ELEMENT), `align ${align}`).toBe(0);
      expect(view.length).toBe(3);
    }
    heap.validate();
  });

  it.each(KIND_TABLE)("alloc(%s, n, { zero: true }) zeroes memory that held other bytes", (name) => {
    const heap = smallHeap();
    const a = make(heap);
    // Dirty a region, give it back, and allocate over it again.
    const dirty = a.alloc("u8", 4096);
    dirty.fill(0xff);
    a.free(dirty);
    const view = a.alloc(name, 4096 / 8, { zero: true });
    expect(view.byteOffset).toBe(dirty.byteOffset);
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    expect(bytes.every((b) => b === 0)).toBe(true);
    expect([...view].every((x) => x === 0 || x === 0n)).toBe(true);
    heap.validate();
  });

  it("alloc(kind, 0) returns an empty view of that kind and touches no allocator; freeing it is a no-op", () => {
    const heap = smallHeap();
    const a = make(heap);
    const before = heap.stats();
    for (const [name, ctor] of KIND_TABLE) {
      const empty = a.alloc(name, 0);
      expect(empty).toBeInstanceOf(ctor);
      expect(empty.length).toBe(0);
      a.free(empty);
      expect(a.alloc(ctor as never, 0, { align: 4096, zero: true })).toHaveLength(0);
    }
    expect(heap.stats()).toEqual(before);
    // The next real allocation is where it would have been.
    const probe = a.alloc("u8", 1);
    a.free(probe);
    expect(a.alloc("u8", 0).length).toBe(0);
    expect(a.alloc("u8", 1).byteOffset).toBe(probe.byteOffset);
    heap.validate();
  });

  it.each(KIND_TABLE)("create(%s) is one element; destroy frees it", (name, ctor) => {
    const heap = smallHeap();
    const a = make(heap);
    const one = a.create(name);
    expect(one).toBeInstanceOf(ctor);
    expect(one.length).toBe(1);
    a.destroy(one);
    heap.validate();
  });

  it("destroy() of a view that is not one element throws RangeError", () => {
    const heap = smallHeap();
    const a = make(heap);
    expect(() => a.destroy(a.alloc("i32", 2))).toThrow(RangeError);
    heap.validate();
  });

  it.each(KIND_TABLE)("dupe(%s, source) copies an array, a typed array and an array-like", (name, ctor) => {
    const heap = smallHeap();
    const a = make(heap);
    const big = ctor.BYTES_PER_ELEMENT === 8 && name !== "f64";
    const values = big ? [1n, 2n, 3n] : [1, 2, 3];
    const expected = [...(new (ctor as unknown as new (xs: unknown[]) => ArrayLike<unknown>)(values) as ArrayLike<unknown> & Iterable<unknown>)];
    const fromArray = a.dupe(name, values);
    expect(fromArray).toBeInstanceOf(ctor);
    expect([...fromArray]).toEqual(expected);
    const fromTyped = a.dupe(name, fromArray);
    expect(fromTyped.byteOffset).not.toBe(fromArray.byteOffset);
    expect([...fromTyped]).toEqual(expected);
    const fromArrayLike = a.dupe(name, { length: 3, 0: values[0], 1: values[1], 2: values[2] });
    expect([...fromArrayLike]).toEqual(expected);
    expect(a.dupe(name, []).length).toBe(0);
    heap.validate();
  });

  it("dupe of values the kind cannot hold throws TypeError and frees the copy", () => {
    const heap = smallHeap();
    const a = make(heap);
    const probe = a.alloc("i64", 2);
    a.free(probe);
    expect(() => a.dupe("i64", [1, 2])).toThrow(TypeError); // numbers into a BigInt64Array
    expect(() => a.dupe("f64", [1n] as never)).toThrow(TypeError);
    heap.validate();
    expect(a.alloc("i64", 2).byteOffset, "the failed copies were given back").toBe(probe.byteOffset);
  });

  it("realloc keeps min(old, new) elements of every kind, growing and shrinking", () => {
    const heap = smallHeap();
    const a = make(heap);
    for (const [name] of KIND_TABLE) {
      const big = name === "i64" || name === "u64";
      let view = a.alloc(name, 10);
      for (let i = 0; i < 10; i++) view[i] = (big ? BigInt(i + 1) : i + 1) as never;
      a.alloc("u8", 1); // so that the view is not the last allocation and must move to grow
      view = a.realloc(view, 1000);
      expect(view.length).toBe(1000);
      expect([...view.subarray(0, 10)].map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      view = a.realloc(view, 4);
      expect([...view].map(Number)).toEqual([1, 2, 3, 4]);
      view = a.realloc(view, 0);
      expect(view.length).toBe(0);
    }
    heap.validate();
  });
});
