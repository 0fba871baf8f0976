// Listing a GPA's leaks never allocates: the core writes them in batches to a static area, so
// leaks(), detectLeaks() and deinit() work on a full heap and never grow memory.

import { describe, expect, it } from "vitest";
import { GeneralPurposeAllocator, OutOfMemoryError } from "../src/index";
import { smallHeap, MiB } from "./support/heaps";

describe("leak listing", () => {
  it("lists hundreds of leaks, more than one batch, each once and by address", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: () => {} });
    const a = gpa.allocator();
    const ptrs = Array.from({ length: 300 }, (_, i) => a.rawAlloc(16 + (i % 5) * 100));
    ptrs.push(a.rawAlloc(200_000));
    const leaks = gpa.leaks();
    expect(leaks.map((l) => l.ptr)).toEqual([...ptrs].sort((x, y) => x - y));
    expect(leaks.find((l) => l.ptr === ptrs[300])?.len).toBe(200_000);
    expect(gpa.deinit()).toBe("leak");
  });

  it("on a full heap, leaks() and deinit() work, and deinit() ends the GPA without growing memory", () => {
    const heap = smallHeap({ maximumBytes: 2 * MiB });
    const leaks: unknown[] = [];
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: (leak) => leaks.push(leak) });
    const a = gpa.allocator();
    let count = 0;
    expect(() => { for (;;) { a.alloc("u8", 4096); count++; } }).toThrow(OutOfMemoryError);
    const { memoryBytes } = heap.stats();
    expect(gpa.leaks().length).toBeGreaterThanOrEqual(count);
    expect(gpa.deinit()).toBe("leak");
    expect(leaks.length).toBeGreaterThanOrEqual(count);
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
    heap.validate();
  });
});
