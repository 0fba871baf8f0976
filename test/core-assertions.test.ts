// The core's invariants are asserted in its hot helpers. In the debug build (npm run test:debug)
// a broken invariant throws at the helper that meets it; in the release build the assertions
// are compiled out and validate() is what finds the damage. Each test checks the build it runs on.

import { describe, expect, it } from "vitest";
import { CORE_BUILD } from "../bindings/core-bytes.generated";
import { GeneralPurposeAllocator, HeapCorruptionError } from "../src/index";
import { smallHeap, PAGE } from "./support/heaps";

/** A slab's header fills its last 32 bytes (gpa/slab.ts); `used` is its fourth word. */
const SLAB_USED = PAGE - 32 + 12;

describe(`core assertions (${CORE_BUILD} build)`, () => {
  it("a slot given back to a slab that counts none in use is caught: by slabPush in debug, by validate() in release", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety: false }).allocator();
    const slot = a.rawAlloc(64);
    const slab = slot - (slot % PAGE);
    heap.u32[(slab + SLAB_USED) / 4] = 0;
    if (CORE_BUILD === "debug") {
      expect(() => a.rawFree(slot, 64)).toThrow(/core assertion failed: a slot given back to an empty slab \(.*slab\.ts:\d+:\d+\)/);
    } else {
      a.rawFree(slot, 64);
    }
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });
});
