// The core's invariants are asserted in its hot helpers. In the debug build (npm run test:debug)
// a broken invariant throws at the helper that meets it; in the release build the assertions
// are compiled out and validate() is what finds the damage. Each test checks the build it runs on.

import { describe, expect, it } from "vitest";
import { CORE_BUILD } from "../bindings/core-bytes.generated";
import { ARENA_REGION, BUMP_START } from "../bindings/abi.generated";
import { HeapCorruptionError } from "../src/index";
import { arenaOnPages } from "./support/heaps";

/** The arena's chunk header (arena.ts): the next chunk's address, then the chunk's length. */
const CHUNK_HEADER = 8;
const CHUNK_LEN = 4;

describe(`core assertions (${CORE_BUILD} build)`, () => {
  it("an arena chunk shorter than its header is caught: by the chunk walk in debug, by validate() in release", () => {
    const { heap, arena, a } = arenaOnPages();
    a.rawAlloc(100);
    heap.pageAllocator.rawAlloc(65536); // the page after the first chunk: it cannot grow in place
    a.rawAlloc(200_000); // a second chunk: the first is now the older one
    const newest = heap.u32[(a.handle + ARENA_REGION + BUMP_START) / 4] - CHUNK_HEADER;
    const older = heap.u32[newest / 4];
    heap.u32[(older + CHUNK_LEN) / 4] = 4;
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
    if (CORE_BUILD === "debug") {
      expect(() => arena.deinit()).toThrow(/core assertion failed: an arena chunk shorter than its header \(.*arena\.ts:\d+:\d+\)/);
    } else {
      arena.deinit();
    }
  });
});
