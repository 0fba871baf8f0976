// Small heaps for tests, and the facts about the platform the suites branch on.

import { expect } from "vitest";
import { ArenaAllocator, Heap, type HeapOptions, type ViewStrategy, type KindName } from "../../src/index";

export const MiB = 1 << 20;
export const PAGE = 65536;

/**
 * A heap small enough that many can exist at once: 64 KiB to start, 64 MiB at most. It grows
 * often, so its views must survive growth: it takes the best strategy that never detaches them
 * ("resizable" or "shared"), since the suites that use it hold views across allocations, as Zig's
 * tests hold slices. The default strategy, "plain", has suites of its own (views-growth,
 * detach-warning, on-grow).
 */
export function smallHeap(options: HeapOptions = {}): Heap {
  return Heap.create({ initialBytes: PAGE, maximumBytes: 64 * MiB, viewStrategy: NON_DETACHING, ...options });
}

/** An arena on the page allocator of `heap` (a fresh small heap by default), and its allocator. */
export function arenaOnPages(heap: Heap = smallHeap()) {
  const arena = new ArenaAllocator(heap.pageAllocator);
  return { heap, arena, a: arena.allocator() };
}

/** A fresh small heap and its page allocator. */
export function pagesOfSmallHeap() {
  const heap = smallHeap();
  return { heap, p: heap.pageAllocator };
}

/** The strategies Heap.create accepts on this platform, best first. */
export function availableStrategies(): ViewStrategy[] {
  return (["resizable", "shared", "plain"] as const).filter((viewStrategy) => {
    try {
      Heap.create({ initialBytes: PAGE, maximumBytes: 4 * MiB, viewStrategy });
      return true;
    } catch (error) {
      if (error instanceof TypeError) return false;
      throw error;
    }
  });
}

/** The best strategy whose growth detaches no view: "resizable" where it exists, else "shared". */
export const NON_DETACHING: ViewStrategy = availableStrategies()[0];

export const nodeMajor = Number(process.versions.node.split(".")[0]);

/** Every element kind name with its constructor and byte size. */
export const KIND_TABLE: readonly [KindName, { new (n: number): ArrayBufferView; BYTES_PER_ELEMENT: number }][] = [
  ["i8", Int8Array], ["u8", Uint8Array], ["u8c", Uint8ClampedArray],
  ["i16", Int16Array], ["u16", Uint16Array], ["i32", Int32Array], ["u32", Uint32Array],
  ["f32", Float32Array], ["f64", Float64Array], ["i64", BigInt64Array], ["u64", BigUint64Array],
];

/** Runs `fn`, expects it to throw `errorClass`, and expects the heap to validate afterwards. */
export function expectRejected(heap: Heap, fn: () => unknown, errorClass: new (...args: never[]) => Error): void {
  expect(fn).toThrow(errorClass);
  heap.validate();
}

/** Grows `heap` by at least one page by allocating (and freeing) from its page allocator. */
export function forceGrowth(heap: Heap): void {
  const before = heap.memory.buffer.byteLength;
  const bytes = before + PAGE;
  const ptr = heap.pageAllocator.rawAlloc(bytes);
  expect(ptr).not.toBe(0);
  heap.pageAllocator.rawFree(ptr, bytes);
  expect(heap.memory.buffer.byteLength).toBeGreaterThan(before);
}
