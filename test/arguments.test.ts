// Bad arguments get a clear error at the call and change nothing: each rejected call leaves the
// heap's statistics as they were and heap.validate() passing.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, FixedBufferAllocator, InvalidFreeError, type Allocator, type Heap,
} from "../src/index";
import { smallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["arena over an arena", (heap) => new ArenaAllocator(new ArenaAllocator(heap.pageAllocator).allocator()).allocator()],
  ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 1 << 20)).allocator()],
];

const BAD_LENGTHS = [-1, -0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 53, "3" as unknown as number];
const BAD_ALIGNS = [0, 3, 6, 12, 1.5, -8, NaN, Infinity, 131072, 2 ** 31];
const UNKNOWN_KINDS: unknown[] = ["u128", "float", "", "F64", "toString", "__proto__", "constructor", null, undefined,
  Array, DataView, ArrayBuffer, Object, 8];

/**
 * Expects `call` to throw `errorClass` and to change nothing: the heap's statistics are equal
 * before and after, the heap validates, and the live allocation `witness` still holds its bytes.
 */
function expectRejected(heap: Heap, witness: Uint8Array, call: () => unknown, errorClass: abstract new (...args: never[]) => Error): void {
  const before = heap.stats();
  expect(call).toThrow(errorClass);
  expect(heap.stats()).toEqual(before);
  heap.validate();
  expect(witness.every((b) => b === 0x5a)).toBe(true);
}

describe.each(allocators)("bad arguments to the %s", (_name, make) => {
  function setup() {
    const heap = smallHeap();
    const a = make(heap);
    const witness = a.alloc("u8", 64);
    witness.fill(0x5a);
    return { heap, a, witness };
  }

  it("alloc with a negative, fractional, NaN, infinite, too large or non-number length throws RangeError", () => {
    const { heap, a, witness } = setup();
    for (const n of BAD_LENGTHS) expectRejected(heap, witness, () => a.alloc("u8", n), RangeError);
    // In range as a count, but more bytes than the address space.
    expectRejected(heap, witness, () => a.alloc("f64", 2 ** 29), RangeError);
    expectRejected(heap, witness, () => a.alloc("u16", 2 ** 31), RangeError);
  });

  it("alloc of an unknown kind throws TypeError", () => {
    const { heap, a, witness } = setup();
    for (const kind of UNKNOWN_KINDS) expectRejected(heap, witness, () => a.alloc(kind as never, 1), TypeError);
    expectRejected(heap, witness, () => a.alloc("nope" as never, 0), TypeError);
  });

  it("alloc with a non-power-of-two or too large alignment throws RangeError, also for an empty allocation", () => {
    const { heap, a, witness } = setup();
    for (const align of BAD_ALIGNS) {
      expectRejected(heap, witness, () => a.alloc("u8", 8, { align }), RangeError);
      expectRejected(heap, witness, () => a.alloc("u8", 0, { align }), RangeError);
    }
  });

  it("resize and realloc with a bad length throw RangeError", () => {
    const { heap, a, witness } = setup();
    for (const n of BAD_LENGTHS) {
      expectRejected(heap, witness, () => a.resize(witness, n), RangeError);
      expectRejected(heap, witness, () => a.realloc(witness, n), RangeError);
    }
  });

  it("dupe of an unknown kind throws TypeError; of a non-array-like, TypeError", () => {
    const { heap, a, witness } = setup();
    expectRejected(heap, witness, () => a.dupe("u7" as never, [1]), TypeError);
    expectRejected(heap, witness, () => a.dupe("u8", 42 as never), TypeError);
    expectRejected(heap, witness, () => a.dupe("u8", null as never), TypeError);
  });

  it("a view from another heap given to free, resize, realloc or destroy throws InvalidFreeError", () => {
    const { heap, a, witness } = setup();
    const other = smallHeap();
    const foreign = other.pageAllocator.alloc("u8", 64);
    const foreignOne = other.pageAllocator.create("f64");
    expectRejected(heap, witness, () => a.free(foreign), InvalidFreeError);
    expectRejected(heap, witness, () => a.resize(foreign, 32), InvalidFreeError);
    expectRejected(heap, witness, () => a.realloc(foreign, 128), InvalidFreeError);
    expectRejected(heap, witness, () => a.destroy(foreignOne), InvalidFreeError);
    other.validate();
  });

  it("a view on a plain ArrayBuffer given to free throws InvalidFreeError", () => {
    const { heap, a, witness } = setup();
    expectRejected(heap, witness, () => a.free(new Uint8Array(16)), InvalidFreeError);
    expectRejected(heap, witness, () => a.realloc(new Float64Array(4), 8), InvalidFreeError);
  });

  it("memory of this heap that this allocator did not hand out given to free throws InvalidFreeError", () => {
    const { heap, a, witness } = setup();
    const elsewhere = new ArenaAllocator(heap.pageAllocator).allocator().alloc("u8", 64);
    expectRejected(heap, witness, () => a.free(elsewhere), InvalidFreeError);
    expectRejected(heap, witness, () => a.free(heap.u8.subarray(8, 16)), InvalidFreeError);
  });

  it("raw calls with bad lengths, alignments or offsets throw RangeError", () => {
    const { heap, a, witness } = setup();
    const ptr = witness.byteOffset;
    for (const n of BAD_LENGTHS) {
      expectRejected(heap, witness, () => a.rawAlloc(n), RangeError);
      expectRejected(heap, witness, () => a.rawResize(ptr, 64, n), RangeError);
      expectRejected(heap, witness, () => a.rawRemap(ptr, n, 64), RangeError);
      expectRejected(heap, witness, () => a.rawFree(ptr, n), RangeError);
    }
    for (const align of BAD_ALIGNS) {
      expectRejected(heap, witness, () => a.rawAlloc(8, align), RangeError);
      expectRejected(heap, witness, () => a.rawResize(ptr, 64, 32, align), RangeError);
      expectRejected(heap, witness, () => a.rawRemap(ptr, 64, 32, align), RangeError);
      expectRejected(heap, witness, () => a.rawFree(ptr, 64, align), RangeError);
    }
    for (const bad of [-1, 1.5, NaN, 2 ** 32]) {
      expectRejected(heap, witness, () => a.rawFree(bad, 64), RangeError);
      expectRejected(heap, witness, () => a.rawResize(bad, 64, 32), RangeError);
    }
  });

  it("rawFree and rawResize of memory never handed out throw InvalidFreeError, including byte offset 0", () => {
    const { heap, a, witness } = setup();
    expectRejected(heap, witness, () => a.rawFree(0, 64), InvalidFreeError);
    expectRejected(heap, witness, () => a.rawResize(0, 64, 32), InvalidFreeError);
    expectRejected(heap, witness, () => a.rawFree(heap.memory.buffer.byteLength - 64, 64), InvalidFreeError);
  });

  it("a pointer and length whose end wraps past 2^32 are rejected, not taken for the last allocation", () => {
    const { heap, a, witness } = setup();
    // end = ptr + len ≡ the bump pointer (mod 2^32) for a bump allocator's last allocation.
    const end = witness.byteOffset + witness.byteLength;
    const len = end + 16;
    const ptr = 2 ** 32 - 16;
    expectRejected(heap, witness, () => a.rawFree(ptr, len), InvalidFreeError);
    expectRejected(heap, witness, () => a.rawResize(ptr, len, 8), InvalidFreeError);
    expectRejected(heap, witness, () => a.rawFree(2 ** 32 - 16, 16), InvalidFreeError);
  });
});

describe("bad arguments to ArenaAllocator and withArena", () => {
  it("reset with an unknown mode throws TypeError; a bad retain_with_limit, RangeError", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    arena.allocator().alloc("u8", 100);
    const capacity = arena.queryCapacity();
    for (const mode of ["free", "retain", {}, { retain: 1 }, null, 1]) {
      expect(() => arena.reset(mode as never)).toThrow(TypeError);
    }
    for (const limit of [-1, 1.5, NaN, 2 ** 32]) {
      expect(() => arena.reset({ retain_with_limit: limit })).toThrow(RangeError);
    }
    expect(arena.queryCapacity()).toBe(capacity);
    heap.validate();
  });

  it("an arena over something that is not an allocator of this library throws TypeError", () => {
    expect(() => new ArenaAllocator({} as never)).toThrow(TypeError);
    expect(() => new ArenaAllocator(null as never)).toThrow(TypeError);
  });
});
