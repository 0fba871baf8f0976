// The core's invariants are asserted in its hot helpers. In the debug build (npm run test:debug)
// a broken invariant throws at the helper that meets it; in the release build the assertions
// are compiled out and validate() is what finds the damage. Each test checks the build it runs on.

import { describe, expect, it } from "vitest";
import { CORE_BUILD } from "../bindings/core-bytes.generated";
import { BUMP_CAPACITY, BUMP_END, FIXED_REGION } from "../bindings/abi.generated";
import { FixedBufferAllocator, HeapCorruptionError } from "../src/index";
import { smallHeap } from "./support/heaps";

describe(`core assertions (${CORE_BUILD} build)`, () => {
  it("a bump region whose end passed its capacity is caught: by the bump itself in debug, by validate() in release", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 256));
    const a = fba.allocator();
    const region = a.handle + FIXED_REGION;
    heap.u32[(region + BUMP_END) / 4] = heap.u32[(region + BUMP_CAPACITY) / 4] + 8;
    if (CORE_BUILD === "debug") {
      expect(() => a.rawAlloc(8)).toThrow(/core assertion failed: a bump region's end passed its capacity \(.*bump\.ts:\d+:\d+\)/);
    } else {
      expect(a.rawAlloc(8)).toBe(0);
    }
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });
});
