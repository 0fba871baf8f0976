// Leak detection: deinit() returns "leak" and reports each live allocation (address, length,
// alignment, and with stackTraces the JavaScript stack that allocated it) through console.error
// or onLeak; detectLeaks() and leaks() report without ending the GPA.

import { afterEach, describe, expect, it, vi } from "vitest";
import { ArenaAllocator, GeneralPurposeAllocator, type LeakReport } from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";
import { SAFETY_MODES, freshGpa } from "./support/gpa";

const THIS_FILE = "gpa-leaks.test.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(SAFETY_MODES)("deinit() and the leak report (%s)", (_mode, safety) => {
  it("with nothing live, deinit() is \"ok\" and prints nothing", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { heap, gpa, a } = freshGpa({ safety });
    a.free(a.alloc("u8", 10));
    expect(gpa.deinit()).toBe("ok");
    expect(error).not.toHaveBeenCalled();
    heap.validate();
  });

  it("with allocations live, deinit() is \"leak\" and console.error reports each, address, length and alignment", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { heap, gpa, a } = freshGpa({ safety });
    const small = a.rawAlloc(16, 16);
    const large = a.rawAlloc(100_000, 8);
    expect(gpa.deinit()).toBe("leak");
    expect(error).toHaveBeenCalledTimes(2);
    const lines = error.mock.calls.map((call) => String(call[0]));
    expect(lines.sort()).toEqual([
      `GeneralPurposeAllocator: leaked 100000 bytes at byte offset ${large} (align 8)`,
      `GeneralPurposeAllocator: leaked 16 bytes at byte offset ${small} (align 16)`,
    ]);
    heap.validate();
  });

  it("onLeak receives each leak instead of console.error", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const leaks: LeakReport[] = [];
    const { gpa, a } = freshGpa({ safety, onLeak: (leak) => leaks.push(leak) });
    const xs = a.alloc("f64", 8);
    expect(gpa.deinit()).toBe("leak");
    expect(leaks).toEqual([{ ptr: xs.byteOffset, len: 64, align: safety ? 8 : 64 }]);
    expect(error).not.toHaveBeenCalled();
  });

  it("detectLeaks() counts and reports the live allocations and leaves the GPA usable", () => {
    const leaks: LeakReport[] = [];
    const { gpa, a } = freshGpa({ safety, onLeak: (leak) => leaks.push(leak) });
    const xs = [a.alloc("u8", 8), a.alloc("u8", 8), a.alloc("u8", 70_000)];
    expect(gpa.detectLeaks()).toBe(3);
    expect(leaks.map((leak) => leak.ptr)).toEqual(xs.map((x) => x.byteOffset).sort((p, q) => p - q));
    for (const x of xs) a.free(x);
    expect(gpa.detectLeaks()).toBe(0);
    expect(gpa.deinit()).toBe("ok");
  });

  it("leaks() lists the live allocations by address, large ones with their exact length and alignment", () => {
    const { gpa, a } = freshGpa({ safety });
    const big = a.rawAlloc(50_000, 4096);
    const aligned = a.rawAlloc(10, 65536);
    expect(gpa.leaks()).toEqual([{ ptr: big, len: 50_000, align: 4096 }, { ptr: aligned, len: 10, align: 65536 }]
      .sort((p, q) => p.ptr - q.ptr));
  });

  it("leaks() follows resize and realloc", () => {
    const { gpa, a } = freshGpa({ safety });
    const xs = a.alloc("u8", 100_000);
    const shrunk = a.resize(xs, 60_000)!;
    expect(gpa.leaks()).toEqual([{ ptr: xs.byteOffset, len: 60_000, align: 1 }]);
    const moved = a.realloc(shrunk, 10);
    expect(gpa.leaks()).toHaveLength(1);
    expect(gpa.leaks()[0].ptr).toBe(moved.byteOffset);
  });

  it("leaks() holds every one of thousands of live allocations", () => {
    const { gpa, a } = freshGpa({ safety });
    const ptrs = Array.from({ length: 5000 }, (_, i) => a.rawAlloc(1 + (i % 300)));
    const leaks = gpa.leaks();
    expect(leaks.map((leak) => leak.ptr)).toEqual([...ptrs].sort((p, q) => p - q));
    expect(gpa.stats().liveAllocations).toBe(5000);
  });
});

describe("what a leak report knows", () => {
  it("with safety, the exact length and alignment of a small allocation", () => {
    const { gpa, a } = freshGpa();
    const ptr = a.rawAlloc(20, 4);
    expect(gpa.leaks()).toEqual([{ ptr, len: 20, align: 4 }]);
  });

  it("without safety, a small allocation's slot: its size class and the alignment of its slots", () => {
    const { gpa, a } = freshGpa({ safety: false });
    const ptr = a.rawAlloc(20, 4);
    const other = a.rawAlloc(100, 32);
    expect(gpa.leaks()).toEqual([{ ptr, len: 24, align: 8 }, { ptr: other, len: 128, align: 128 }]
      .sort((p, q) => p.ptr - q.ptr));
  });

  it("with stackTraces, the stack of the call that allocated each, for views and raw offsets", () => {
    const { gpa, a } = freshGpa({ stackTraces: true });
    const view = a.alloc("u32", 4);
    const ptr = a.rawAlloc(1000);
    const duped = a.dupe("u8", [1, 2, 3]);
    const created = a.create("f64");
    const leaks = gpa.leaks();
    expect(leaks).toHaveLength(4);
    for (const leak of leaks) {
      expect(leak.stack!.split("\n")[0], "the first frame is the caller's").toMatch(THIS_FILE);
      expect(leak.stack).not.toMatch(/^Error/);
      expect(leak.stack).not.toMatch(/Allocator\./);
    }
    expect(leaks.map((leak) => leak.ptr).sort()).toEqual([view.byteOffset, ptr, duped.byteOffset, created.byteOffset].sort());
  });

  it("with stackTraces, console.error prints the stack under each leak", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { gpa, a } = freshGpa({ stackTraces: true, safety: false });
    a.alloc("u8", 5);
    expect(gpa.deinit()).toBe("leak");
    const printed = String(error.mock.calls[0][0]);
    expect(printed.split("\n")[0]).toMatch(/^GeneralPurposeAllocator: leaked 8 bytes at byte offset \d+ \(align 8\)$/);
    expect(printed.split("\n")[1]).toMatch(THIS_FILE);
  });

  it("with stackTraces, a freed allocation is forgotten and a moved one is traced to where it moved", () => {
    const { gpa, a } = freshGpa({ stackTraces: true });
    a.free(a.alloc("u8", 10));
    a.rawFree(a.rawAlloc(10), 10);
    const xs = a.alloc("u8", 10);
    const ys = a.alloc("u8", 10);
    const moved = a.realloc(xs, 5000);
    expect(a.resize(ys, 0)?.length).toBe(0);
    const leaks = gpa.leaks();
    expect(leaks).toHaveLength(1);
    expect(leaks[0].ptr).toBe(moved.byteOffset);
    expect(leaks[0].stack).toMatch(THIS_FILE);
  });

  it("without stackTraces there is no stack", () => {
    const { gpa, a } = freshGpa();
    a.alloc("u8", 10);
    expect(gpa.leaks()[0]).not.toHaveProperty("stack");
  });

  it("an arena's chunk leaked through a forgotten arena is reported with the stack of the call that made the arena take it", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, stackTraces: true, onLeak: () => {} });
    new ArenaAllocator(gpa.allocator()).allocator().alloc("u8", PAGE);
    const leaks = gpa.leaks();
    expect(leaks).toHaveLength(1);
    expect(leaks[0].len).toBeGreaterThan(PAGE);
    expect(leaks[0].stack!.split("\n")[0], "the first frame is the caller's").toMatch(THIS_FILE);
    expect(leaks[0].stack).not.toMatch(/wasm|Allocator\./);
    expect(gpa.deinit()).toBe("leak");
    heap.validate();
  });
});
