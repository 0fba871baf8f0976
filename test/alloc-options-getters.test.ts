// alloc's options are read once, before the allocator's handle is taken: a getter runs user code,
// which may deinit() the allocator, and the call must then fail as on any ended allocator,
// instead of allocating through the handle it read before.

import { describe, expect, it } from "vitest";
import { AllocatorDeinitializedError } from "../src/index";
import { arenaOnPages } from "./support/heaps";

describe("alloc options given as getters", () => {
  it.each(["align", "zero"] as const)("the %s getter deinit()ing the arena: AllocatorDeinitializedError, nothing allocated", (name) => {
    const { heap, arena, a } = arenaOnPages();
    const before = heap.stats();
    const options = Object.defineProperty({}, name, {
      get: () => {
        arena.deinit();
        return name === "align" ? 8 : true;
      },
    });
    expect(() => a.alloc("u8", 16, options)).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(before.pagesInUseBytes);
    heap.validate();
  });

  it("each option is read once", () => {
    const { heap, arena, a } = arenaOnPages();
    let reads = 0;
    const options = { get align() { reads++; return 16; }, get zero() { reads++; return true; } };
    const xs = a.alloc("u8", 16, options);
    expect(reads).toBe(2);
    expect(xs.byteOffset % 16).toBe(0);
    expect(xs.every((b) => b === 0)).toBe(true);
    arena.deinit();
    heap.validate();
  });
});

describe("other arguments whose getters end the allocator", () => {
  it("a retain_with_limit getter that deinit()s the arena: AllocatorDeinitializedError", () => {
    const { heap, arena, a } = arenaOnPages();
    a.alloc("u8", 100);
    const mode = { get retain_with_limit() { arena.deinit(); return 1024; } };
    expect(() => arena.reset(mode)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("dupe from an array-like whose element getter deinit()s the arena: AllocatorDeinitializedError, no view of freed memory", () => {
    const { heap, arena, a } = arenaOnPages();
    const source = { length: 2, 0: 1, get 1() { arena.deinit(); return 2; } };
    expect(() => a.dupe("i32", source)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });
});
