// realloc of an empty view: an empty view is no block, whatever its byte offset, so its realloc
// is an allocation; one that runs out of memory is OutOfMemoryError, as alloc's would be.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, OutOfMemoryError, type Allocator, type Heap } from "../src/index";
import { MiB, smallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", MiB)).allocator()],
  ["safety GPA", (heap) => new GeneralPurposeAllocator({ heap }).allocator()],
  ["GPA without safety", (heap) => new GeneralPurposeAllocator({ heap, safety: false }).allocator()],
  ["GPA under a memoryLimit", (heap) => new GeneralPurposeAllocator({ heap, memoryLimit: 4096 }).allocator()],
];

/** Empty views as users come by them: from alloc(kind, 0), from realloc to 0, sliced out of the heap anywhere. */
function emptyViews(heap: Heap, a: Allocator): Float32Array[] {
  const some = a.alloc("f32", 16);
  return [a.alloc("f32", 0), a.realloc(a.alloc("f32", 4), 0), some.subarray(5, 5), new Float32Array(heap.u8.buffer, 4096 + 12, 0),
    new Float32Array(0)];
}

describe.each(allocators)("realloc of an empty view on the %s", (_name, make) => {
  it("that runs out of memory throws OutOfMemoryError and changes no block", () => {
    const heap = smallHeap({ maximumBytes: 8 * MiB });
    const a = make(heap);
    const kept = a.alloc("u8", 100).fill(7);
    for (const empty of emptyViews(heap, a)) {
      for (const n of [4 * MiB, 1 << 29]) {
        expect(() => a.realloc(empty, n)).toThrow(OutOfMemoryError);
      }
    }
    expect(kept.every((x) => x === 7)).toBe(true);
    heap.validate();
  });

  it("that fits is a fresh allocation of n elements, wherever the empty view lay", () => {
    const heap = smallHeap({ maximumBytes: 8 * MiB });
    const a = make(heap);
    const made: Float32Array[] = [];
    for (const empty of emptyViews(heap, a)) {
      const view = a.realloc(empty, 8);
      expect(view.length).toBe(8);
      expect(view.buffer).toBe(heap.u8.buffer);
      expect(view.byteOffset % 4).toBe(0);
      view.fill(made.length);
      made.push(view);
    }
    made.forEach((view, i) => expect(view.every((x) => x === i)).toBe(true));
    for (const view of made) a.free(view);
    heap.validate();
  });
});
