// FixedBufferAllocator: Zig's semantics over a caller-owned buffer in a heap's memory.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, FixedBufferAllocator, InvalidFreeError, OutOfMemoryError, type Heap,
} from "../src/index";
import { smallHeap } from "./support/heaps";
import { collectGarbage } from "./support/collect-garbage";

function fixed(bytes: number, heap: Heap = smallHeap()) {
  const buffer = heap.pageAllocator.alloc("u8", bytes);
  const fba = new FixedBufferAllocator(buffer);
  return { heap, buffer, fba, a: fba.allocator() };
}

describe("FixedBufferAllocator", () => {
  it("allocations bump through the buffer in order, each inside it", () => {
    const { buffer, fba, a, heap } = fixed(1024);
    const x = a.alloc("u8", 3);
    const y = a.alloc("u32", 2);
    expect(x.byteOffset).toBe(buffer.byteOffset);
    expect(y.byteOffset).toBe(buffer.byteOffset + 4); // 3 bytes, then padding to 4
    expect(fba.ownsSlice(x)).toBe(true);
    expect(fba.ownsSlice(y)).toBe(true);
    heap.validate();
  });

  it("endIndex counts the bytes used, alignment padding included", () => {
    const { fba, a } = fixed(1024);
    expect(fba.endIndex).toBe(0);
    a.alloc("u8", 3);
    expect(fba.endIndex).toBe(3);
    a.alloc("f64", 1);
    expect(fba.endIndex).toBe(16);
    a.alloc("u8", 1, { align: 64 });
    expect(fba.endIndex).toBe(65);
  });

  it("ownsPtr is true exactly for byte offsets inside the buffer", () => {
    const { buffer, fba } = fixed(100);
    expect(fba.ownsPtr(buffer.byteOffset)).toBe(true);
    expect(fba.ownsPtr(buffer.byteOffset + 99)).toBe(true);
    expect(fba.ownsPtr(buffer.byteOffset + 100)).toBe(false);
    expect(fba.ownsPtr(buffer.byteOffset - 1)).toBe(false);
    expect(fba.ownsPtr(0)).toBe(false);
    expect(() => fba.ownsPtr(-1)).toThrow(RangeError);
  });

  it("ownsSlice is true for views inside the buffer and false for views outside it or on another heap", () => {
    const { heap, buffer, fba } = fixed(100);
    expect(fba.ownsSlice(buffer)).toBe(true);
    expect(fba.ownsSlice(buffer.subarray(10, 20))).toBe(true);
    expect(fba.ownsSlice(new Uint8Array(heap.memory.buffer, buffer.byteOffset + 50, 51))).toBe(false);
    expect(fba.ownsSlice(heap.pageAllocator.alloc("u8", 10))).toBe(false);
    const other = smallHeap();
    expect(fba.ownsSlice(other.u8.subarray(buffer.byteOffset, buffer.byteOffset + 10))).toBe(false);
    expect(fba.ownsSlice(new Uint8Array(10))).toBe(false);
  });

  it("out of room: alloc throws OutOfMemoryError, rawAlloc returns 0, and the allocator stays usable", () => {
    const { fba, a, heap } = fixed(64);
    a.alloc("u8", 60);
    expect(() => a.alloc("u8", 5)).toThrow(OutOfMemoryError);
    expect(a.rawAlloc(5, 1)).toBe(0);
    expect(fba.endIndex).toBe(60);
    heap.validate();
    expect(a.alloc("u8", 4).length).toBe(4);
    expect(() => a.alloc("u8", 1)).toThrow(OutOfMemoryError);
  });

  it("an alignment the rest of the buffer cannot meet is out of memory, not a misaligned allocation", () => {
    const { a, heap } = fixed(4096);
    a.alloc("u8", 1);
    expect(() => a.alloc("u8", 1, { align: 65536 })).toThrow(OutOfMemoryError);
    heap.validate();
  });

  it("reset() frees everything: the next allocation starts at the buffer again (Zig: FixedBufferAllocator.reset)", () => {
    // Zig: an 8-byte buffer holds one u64; a second create is OutOfMemory; after reset the new
    // u64 overwrites the old one.
    const { fba, a } = fixed(8);
    const x = a.create("u64");
    x[0] = 0xeeeeeeeeeeeeeeeen;
    expect(() => a.create("u64")).toThrow(OutOfMemoryError);
    fba.reset();
    expect(fba.endIndex).toBe(0);
    const y = a.create("u64");
    y[0] = 0xffffffffffffffffn;
    expect(x[0]).toBe(y[0]);
    expect(y[0]).toBe(0xffffffffffffffffn);
  });

  it("realloc of the last allocation grows in place up to the buffer's end (Zig: reuse memory on realloc)", () => {
    const { a } = fixed(10);
    const slice0 = a.alloc("u8", 5);
    const slice1 = a.realloc(slice0, 10);
    expect(slice1.byteOffset).toBe(slice0.byteOffset);
    expect(slice1.length).toBe(10);
    expect(() => a.realloc(slice1, 11)).toThrow(OutOfMemoryError);
  });

  it("realloc of an allocation that is not the last moves it and copies it (Zig: reuse memory on realloc)", () => {
    const { a } = fixed(10);
    const slice0 = a.alloc("u8", 2);
    slice0.set([1, 2]);
    const slice1 = a.alloc("u8", 2);
    const slice2 = a.realloc(slice0, 4);
    expect(slice2.byteOffset).not.toBe(slice0.byteOffset);
    expect(slice2.byteOffset).not.toBe(slice1.byteOffset);
    expect([slice2[0], slice2[1]]).toEqual([1, 2]);
  });

  it("free rolls back only the last allocation; freeing another is a no-op", () => {
    const { fba, a, heap } = fixed(100);
    const x = a.alloc("u8", 10);
    const y = a.alloc("u8", 10);
    a.free(x);
    expect(fba.endIndex).toBe(20);
    a.free(y);
    expect(fba.endIndex).toBe(10);
    expect(a.alloc("u8", 10).byteOffset).toBe(y.byteOffset);
    heap.validate();
  });

  it("resize grows only the last allocation; shrinking always succeeds", () => {
    const { fba, a } = fixed(100);
    const x = a.alloc("u8", 10);
    const y = a.alloc("u8", 10);
    expect(a.resize(x, 20)).toBeNull();
    expect(a.resize(x, 5)?.length).toBe(5);
    expect(fba.endIndex).toBe(20);
    const y80 = a.resize(y, 80)!;
    expect(y80.length).toBe(80);
    expect(fba.endIndex).toBe(90);
    expect(a.resize(y80, 91), "one byte past the buffer").toBeNull();
    const y90 = a.resize(y80, 90)!; // exactly to the buffer's end
    expect(fba.endIndex).toBe(100);
    expect(a.resize(y90, 1)?.length).toBe(1);
    expect(fba.endIndex).toBe(11);
  });

  it("freeing memory outside the buffer throws InvalidFreeError and changes nothing", () => {
    const { fba, a, heap } = fixed(100);
    a.alloc("u8", 10);
    const outside = heap.pageAllocator.alloc("u8", 10);
    expect(() => a.free(outside)).toThrow(InvalidFreeError);
    expect(() => a.rawFree(outside.byteOffset, 10)).toThrow(InvalidFreeError);
    expect(fba.endIndex).toBe(10);
    heap.validate();
  });

  it("a range that ends at the bump pointer but starts before the buffer is not the last allocation", () => {
    const { fba, a, heap, buffer } = fixed(100);
    a.rawAlloc(16, 1);
    const before = buffer.byteOffset - 48;
    expect(() => a.rawFree(before, 64, 1)).toThrow(InvalidFreeError);
    expect(() => a.rawResize(before, 64, 8, 1)).toThrow(InvalidFreeError);
    expect(fba.endIndex).toBe(16);
    heap.validate();
  });

  it("a buffer that is not a view into a heap's memory is rejected", () => {
    expect(() => new FixedBufferAllocator(new Uint8Array(100))).toThrow(TypeError);
    expect(() => new FixedBufferAllocator(new DataView(new ArrayBuffer(8)) as never)).toThrow(TypeError);
  });

  it("any element kind of buffer works; the buffer's bytes are the room", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("f64", 4));
    expect(fba.allocator().alloc("u8", 32).length).toBe(32);
    expect(fba.allocator().rawAlloc(1, 1)).toBe(0);
  });

  it("backs an arena: its chunks come from the buffer, and free_all gives every byte back", () => {
    const { fba, a, heap } = fixed(64 * 1024);
    const arena = new ArenaAllocator(a);
    const xs = arena.allocator().alloc("f64", 100);
    expect(fba.ownsSlice(xs)).toBe(true);
    expect(fba.endIndex).toBeGreaterThan(800);
    expect(arena.reset("free_all")).toBe(true);
    expect(fba.endIndex).toBe(0);
    heap.validate();
  });

  it("an arena over a full buffer throws OutOfMemoryError and stays usable after reset", () => {
    const { a, heap } = fixed(4096);
    const arena = new ArenaAllocator(a);
    expect(() => arena.allocator().alloc("u8", 5000)).toThrow(OutOfMemoryError);
    heap.validate();
    expect(arena.allocator().alloc("u8", 1000).length).toBe(1000);
    arena.reset("free_all");
    expect(arena.allocator().alloc("u8", 2000).length).toBe(2000);
    heap.validate();
  });
});

describe("FixedBufferAllocator lifetime", () => {

  it("an allocator kept without its FixedBufferAllocator keeps allocating from its buffer after garbage collection", async () => {
    const heap = smallHeap();
    const buffer = heap.pageAllocator.alloc("u8", 4096);
    const a = new FixedBufferAllocator(buffer).allocator();
    await collectGarbage();
    // New allocators would take over a record the collected FixedBufferAllocator gave back.
    const others = [new ArenaAllocator(heap.pageAllocator), new ArenaAllocator(heap.pageAllocator)];
    const xs = a.alloc("u8", 100);
    expect(xs.byteOffset).toBe(buffer.byteOffset);
    heap.validate();
    for (const other of others) other.deinit();
  });

  it("an arena over a FixedBufferAllocator nobody else holds keeps its backing after garbage collection", async () => {
    const heap = smallHeap();
    const buffer = heap.pageAllocator.alloc("u8", 64 * 1024);
    const arena = new ArenaAllocator(new FixedBufferAllocator(buffer).allocator());
    await collectGarbage();
    const others = [new ArenaAllocator(heap.pageAllocator), new ArenaAllocator(heap.pageAllocator)];
    const xs = arena.allocator().alloc("u8", 100);
    expect(xs.byteOffset).toBeGreaterThanOrEqual(buffer.byteOffset);
    expect(xs.byteOffset + xs.byteLength).toBeLessThanOrEqual(buffer.byteOffset + buffer.byteLength);
    heap.validate();
    for (const other of others) other.deinit();
  });
});
