// Under "plain", a GPA with safety warns once per heap when memory grows under live views,
// naming heap.reserve() and the allocation that grew memory.

import { afterEach, describe, expect, it, vi } from "vitest";
import { GeneralPurposeAllocator, Heap, type ViewStrategy } from "../src/index";
import { MiB, PAGE } from "./support/heaps";

function growUnderLiveViews(viewStrategy: ViewStrategy, safety: boolean) {
  const heap = Heap.create({ viewStrategy, initialBytes: PAGE, maximumBytes: 64 * MiB });
  const gpa = new GeneralPurposeAllocator({ heap, safety });
  const a = gpa.allocator();
  const early = a.alloc("f64", 8);
  const grows = heap.stats().grows;
  const big = a.alloc("u8", 4 * MiB); // grows memory
  expect(heap.stats().grows).toBeGreaterThan(grows);
  return { heap, gpa, a, early, big };
}

describe("a warning when growth detaches live views", () => {
  afterEach(() => vi.restoreAllMocks());

  it("under \"plain\" with safety: one warning naming heap.reserve() and the allocation that grew memory", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { a } = growUnderLiveViews("plain", true);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0][0]);
    expect(message).toContain("heap.reserve(");
    expect(message).toContain("viewStrategy \"plain\"");
    expect(message).toContain("every optimized typed-array access in the process");
    expect(message).toContain("detach-warning.test.ts"); // the line of the allocation that grew memory
    a.alloc("u8", 16 * MiB); // grows again: the heap has been warned once already
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("nothing without safety, under a strategy that does not detach, or with nothing live", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    growUnderLiveViews("plain", false);
    growUnderLiveViews("shared", true);
    const heap = Heap.create({ viewStrategy: "plain", initialBytes: PAGE, maximumBytes: 64 * MiB });
    new GeneralPurposeAllocator({ heap }).allocator().alloc("u8", 4 * MiB);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a GPA that ended stops watching (its listener would otherwise throw AllocatorDeinitializedError)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const heap = Heap.create({ viewStrategy: "plain", initialBytes: PAGE, maximumBytes: 64 * MiB });
    const grows = heap.stats().grows;
    new GeneralPurposeAllocator({ heap }).deinit();
    heap.pageAllocator.alloc("u8", 100);
    heap.pageAllocator.alloc("u8", 8 * MiB);
    expect(heap.stats().grows).toBeGreaterThan(grows);
    expect(warn).not.toHaveBeenCalled();
  });
});
