// Every out-of-memory path of every allocator kind: code under test run through
// checkAllocationFailures on top of each kind (each of its allocations failed in turn), and each
// kind driven into real out-of-memory on a small heap or a small buffer. Each failure surfaces as
// OutOfMemoryError (rawAlloc, rawRealloc, rawRemap 0; rawResize false) with the old memory intact,
// and the allocator stays usable with heap.validate() clean.
//
// FailingAllocator wraps the allocator under test here; checkAllocationFailures under each kind
// (test/check-allocation-failures-under.test.ts) puts it below instead, as the backing allocator.
// Small heaps (maximumBytes) and the GPA's memoryLimit reach the paths where memory runs out for real.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, checkAllocationFailures, FailingAllocator, FixedBufferAllocator, GeneralPurposeAllocator, Heap,
  OutOfMemoryError, stackFallback, type Allocator,
} from "../src/index";
import { expectRejected, MiB, PAGE, smallHeap } from "./support/heaps";

/** Code under test: every allocating call of the interface, each allocation freed on every path. */
function workload(a: Allocator): void {
  let xs = a.alloc("f64", 64, { zero: true });
  try {
    const ys = a.dupe("i32", [1, 2, 3]);
    try {
      a.destroy(a.create("u32"));
      xs = a.realloc(xs, 5000);
      xs = a.resize(xs, 4000) ?? xs;
      rawWorkload(a);
    } finally {
      a.free(ys);
    }
  } finally {
    a.free(xs);
  }
}

/** The raw path of the workload: rawAlloc's and rawRealloc's 0 become OutOfMemoryError. */
function rawWorkload(a: Allocator): void {
  let ptr = a.rawAlloc(64, 16);
  if (ptr === 0) throw new OutOfMemoryError(64);
  let len = 64;
  try {
    const moved = a.rawRealloc(ptr, len, 50000, 16);
    if (moved === 0) throw new OutOfMemoryError(50000);
    [ptr, len] = [moved, 50000];
  } finally {
    a.rawFree(ptr, len, 16);
  }
}

/** An allocator of one kind on `heap`, and what ends it (throwing on a leak where the kind can tell). */
interface Subject {
  a: Allocator;
  heap: Heap;
  end(): void;
}

const gpaSubject = (heap: Heap, options: { safety?: boolean; memoryLimit?: number } = {}): Subject => {
  const gpa = new GeneralPurposeAllocator({ heap, ...options });
  return { a: gpa.allocator(), heap, end: () => expect(gpa.deinit()).toBe("ok") };
};

const arenaSubject = (heap: Heap, backing: Allocator = heap.pageAllocator): Subject => {
  const arena = new ArenaAllocator(backing);
  return { a: arena.allocator(), heap, end: () => arena.deinit() };
};

/** Every allocator kind, made on `heap`; a fixed buffer spans `fixedBytes` of it. */
const KINDS: [string, (heap: Heap, fixedBytes: number) => Subject][] = [
  ["the page allocator", (heap) => ({ a: heap.pageAllocator, heap, end: () => {} })],
  ["an arena on the page allocator", (heap) => arenaSubject(heap)],
  ["an arena on a GPA", (heap) => {
    const gpa = new GeneralPurposeAllocator({ heap });
    const arena = arenaSubject(heap, gpa.allocator());
    return { ...arena, end: () => { arena.end(); expect(gpa.deinit()).toBe("ok"); } };
  }],
  ["a GPA with safety", (heap) => gpaSubject(heap)],
  ["a GPA without safety", (heap) => gpaSubject(heap, { safety: false })],
  ["a fixed buffer", (heap, fixedBytes) => {
    const buffer = heap.pageAllocator.alloc("u8", fixedBytes);
    return { a: new FixedBufferAllocator(buffer).allocator(), heap, end: () => heap.pageAllocator.free(buffer) };
  }],
  ["a stack fallback on a GPA", (heap) => {
    const gpa = new GeneralPurposeAllocator({ heap });
    const sf = stackFallback(256, gpa.allocator());
    return { a: sf.get(), heap, end: () => { sf.deinit(); expect(gpa.deinit()).toBe("ok"); } };
  }],
  ["a FailingAllocator that fails nothing, on the page allocator", (heap) => {
    return { a: new FailingAllocator(heap.pageAllocator).allocator(), heap, end: () => {} };
  }],
];

describe.each(KINDS)("checkAllocationFailures over %s", (_name, make) => {
  it("every allocation of the workload, failed in turn, surfaces as OutOfMemoryError and leaks nothing", () => {
    const subject = make(smallHeap(), 256 * 1024);
    checkAllocationFailures(subject.a, workload);
    subject.heap.validate();
    workload(subject.a);                                 // still usable
    subject.end();
    subject.heap.validate();
  });

  it("with every resize failing, realloc moves instead, and the workload still passes", () => {
    const subject = make(smallHeap(), 256 * 1024);
    checkAllocationFailures(subject.a, (a) => workload(new FailingAllocator(a, { resizeFailIndex: 0 }).allocator()));
    subject.end();
    subject.heap.validate();
  });
});

/** Drives `a` out of memory by every call that allocates: `huge` bytes never fit. */
function exhaust({ a, heap }: Subject, huge: number): void {
  expectRejected(heap, () => a.alloc("u8", huge), OutOfMemoryError);
  expectRejected(heap, () => a.alloc("u8", huge, { align: 64, zero: true }), OutOfMemoryError);
  expectRejected(heap, () => a.dupe("u8", { length: huge }), OutOfMemoryError);
  expect(a.rawAlloc(huge)).toBe(0);
  const xs = a.dupe("u8", [1, 2, 3]);
  expectRejected(heap, () => a.realloc(xs, huge), OutOfMemoryError);
  expect([...xs]).toEqual([1, 2, 3]);
  const ptr = a.rawAlloc(16);
  heap.u8.set([4, 5, 6], ptr);
  expect(a.rawRealloc(ptr, 16, huge)).toBe(0);
  expect(a.rawResize(ptr, 16, huge)).toBe(false);
  expect(a.rawRemap(ptr, 16, huge)).toBe(0);
  expect([...heap.u8.subarray(ptr, ptr + 3)]).toEqual([4, 5, 6]);
  a.rawFree(ptr, 16);
  a.free(xs);
  heap.validate();
}

describe.each(KINDS)("out of memory for real: %s", (_name, make) => {
  it("on a heap of 1 MiB: every allocating call fails cleanly, and the allocator is usable after", () => {
    const subject = make(smallHeap({ maximumBytes: MiB }), 256 * 1024);
    exhaust(subject, 2 * MiB);
    workload(subject.a);
    subject.end();
    subject.heap.validate();
  });
});

describe("out of memory for real: the limits of one allocator", () => {
  it("a GPA at its memoryLimit", () => {
    const subject = gpaSubject(smallHeap(), { memoryLimit: 100_000 });
    exhaust(subject, 100_001);
    workload(subject.a);
    subject.end();
  });

  it("a fixed buffer of 64 KiB", () => {
    const heap = smallHeap();
    const buffer = heap.pageAllocator.alloc("u8", PAGE);
    const a = new FixedBufferAllocator(buffer).allocator();
    exhaust({ a, heap, end: () => {} }, PAGE + 1);
    expect(a.alloc("u8", 60_000)).toHaveLength(60_000);  // still usable
  });

  it("a stack fallback whose fallback has a memoryLimit: the buffer still serves what fits", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, memoryLimit: 10_000 });
    const sf = stackFallback(4096, gpa.allocator());
    exhaust({ a: sf.get(), heap, end: () => {} }, 10_001);
    expect(sf.get().alloc("u8", 4000)).toHaveLength(4000);
    sf.deinit();
    expect(gpa.deinit()).toBe("ok");
  });
});
