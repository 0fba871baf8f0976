// deinit() always ends the GPA: on a full heap (listing leaks allocates nothing), when onLeak
// throws (every leak is still reported, then the first error surfaces with the GPA ended), and
// whatever the options' getters do. Every rejected call leaves the heap valid.

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, GeneralPurposeAllocator, type LeakReport,
} from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";
import { freshGpa } from "./support/gpa";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("deinit() with leaks", () => {
  it("on a heap with no page left, reports every leak and ends the GPA", () => {
    const heap = smallHeap({ maximumBytes: 4 * 1024 * 1024 });
    const leaks: LeakReport[] = [];
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: (leak) => leaks.push(leak) });
    const a = gpa.allocator();
    const live = [a.rawAlloc(24), a.rawAlloc(3 * PAGE)];
    while (heap.pageAllocator.rawAlloc(PAGE) !== 0);
    expect(gpa.deinit()).toBe("leak");
    expect(leaks.map((leak) => leak.ptr)).toEqual(live.sort((p, q) => p - q));
    expect(() => a.rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("neither grows memory nor calls the page allocator while listing leaks", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: () => {} });
    for (let i = 0; i < 1000; i++) gpa.allocator().rawAlloc(16);
    let grew = false;
    heap.onGrow(() => { grew = true; });
    const before = heap.stats();
    expect(gpa.detectLeaks()).toBe(1000);
    expect(heap.stats()).toEqual(before);
    expect(grew).toBe(false);
    gpa.deinit();
    heap.validate();
  });

  it("when onLeak throws, every leak is still reported, the GPA is ended, then the first error surfaces", () => {
    const heap = smallHeap();
    const errors = [new Error("first"), new Error("second")];
    let calls = 0;
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: () => { throw errors[calls++]; } });
    const a = gpa.allocator();
    a.rawAlloc(8);
    a.rawAlloc(16);
    expect(() => gpa.deinit()).toThrow(errors[0]);
    expect(calls).toBe(2);
    expect(() => a.rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.deinit()).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("detectLeaks() with a throwing onLeak reports every leak, then throws the first error and leaves the GPA usable", () => {
    const { heap, gpa, a } = freshGpa({ onLeak: () => { throw new Error("onLeak failed"); } });
    a.rawAlloc(8);
    expect(() => gpa.detectLeaks()).toThrow("onLeak failed");
    expect(a.rawAlloc(8)).not.toBe(0);
    heap.validate();
  });
});

describe("GPA options", () => {
  it.each([[42], ["console.log"], [{}], [null]])("onLeak: %s (not a function) is a TypeError at the constructor", (onLeak) => {
    const heap = smallHeap();
    const before = heap.stats();
    expect(() => new GeneralPurposeAllocator({ heap, onLeak: onLeak as never })).toThrow(TypeError);
    expect(heap.stats()).toEqual(before);
    heap.validate();
  });

  const getters = ["memoryLimit", "safety", "stackTraces", "onLeak", "heap"] as const;

  it.each(getters)("a %s getter that deinit()s the backing arena: AllocatorDeinitializedError, nothing allocated", (name) => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const backing = arena.allocator();
    const defaults = { memoryLimit: Infinity, safety: true, stackTraces: true, onLeak: () => {}, heap };
    const options = { backing };
    for (const key of getters) {
      Object.defineProperty(options, key, {
        enumerable: true,
        get: () => {
          if (key === name) arena.deinit();
          return defaults[key];
        },
      });
    }
    expect(() => new GeneralPurposeAllocator(options)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("each option is read once", () => {
    const heap = smallHeap();
    const reads = new Map<string, number>();
    const options = new Proxy({ heap, stackTraces: true, safety: true, memoryLimit: 1 << 20 }, {
      get(target, key, receiver) {
        reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
        return Reflect.get(target, key, receiver);
      },
    });
    const gpa = new GeneralPurposeAllocator(options);
    expect([...reads.values()].every((n) => n === 1), JSON.stringify([...reads])).toBe(true);
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("a user's Error.prepareStackTrace that throws during a traced allocation", () => {
  afterEach(() => {
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  });

  it("the allocation succeeds whole, its leak is listed, and freeing it leaves nothing", () => {
    const { heap, gpa, a } = freshGpa({ stackTraces: true, onLeak: () => {} });
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = () => { throw new Error("formatter failed"); };
    const xs = a.alloc("f64", 4);
    const ptr = a.rawAlloc(100);
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    heap.validate();
    expect(gpa.leaks().map((leak) => leak.ptr)).toEqual([xs.byteOffset, ptr].sort((p, q) => p - q));
    a.free(xs);
    a.rawFree(ptr, 100);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("the user's formatter never runs inside an allocation, where it could re-enter the allocator; it formats the listed leak", () => {
    const { heap, gpa, a } = freshGpa({ stackTraces: true });
    let allocating = false;
    const calledWhile: boolean[] = [];
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = (_error: Error, frames: unknown[]) => {
      calledWhile.push(allocating);
      return `formatted\n${frames.length} frames`;
    };
    allocating = true;
    const ptr = a.rawAlloc(40);
    allocating = false;
    expect(calledWhile).toEqual([]);
    expect(gpa.leaks()).toEqual([{ ptr, len: 40, align: 8, stack: expect.stringMatching(/frames$/) }]);
    expect(calledWhile).toEqual([false]);
    a.rawFree(ptr, 40);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("Error.stackTraceLimit is restored after a throwing formatter", () => {
    const { gpa, a } = freshGpa({ stackTraces: true });
    const limit = Error.stackTraceLimit;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = () => { throw new Error("formatter failed"); };
    a.free(a.alloc("u8", 4));
    expect(Error.stackTraceLimit).toBe(limit);
    expect(gpa.deinit()).toBe("ok");
  });
});
