// Twin allocators for the bump fast path: the same allocator kind on two identical heaps, one
// bumping in JavaScript (bump-fast-path.ts) and one whose every call goes to the core. The core is
// deterministic, so the same calls on both must give the same addresses and leave the same region
// words; each twin counts its calls into the core, to prove which path ran.

import { expect } from "vitest";
import { coreAllocatorOf, CoreAllocator } from "../../src/core-allocator";
import type { Heap, ViewStrategy } from "../../src/index";
import type { CoreExports } from "../../bindings/exports";
import { ARENA_REGION, BUMP_SIZE, FIXED_REGION } from "../../bindings/abi.generated";
import { smallHeap } from "./heaps";

export type BumpKind = "arena" | "fixed";

/** Calls into the core's allocator entry points a twin made. */
export interface CoreCalls { alloc: number; free: number; resize: number }

export interface Twin {
  heap: Heap;
  allocator: CoreAllocator<Heap>;
  /** The core's exports as this twin calls them, counted. */
  core: CoreExports;
  calls: CoreCalls;
  /** The address of the allocator's bump region. */
  region: number;
}

/** Bytes of the fixed buffer a fixed twin bumps through. */
export const FIXED_BYTES = 256 * 1024;

/** `core` with alloc, free and resize counted into `calls`. */
function countedCore(core: CoreExports, calls: CoreCalls): CoreExports {
  return Object.create(core, {
    alloc: { value: (a: number, len: number, align: number) => (calls.alloc++, core.alloc(a, len, align)) },
    free: { value: (a: number, ptr: number, len: number, align: number) => (calls.free++, core.free(a, ptr, len, align)) },
    resize: {
      value: (a: number, ptr: number, len: number, newLen: number, align: number) =>
        (calls.resize++, core.resize(a, ptr, len, newLen, align)),
    },
  }) as CoreExports;
}

/** One twin: an arena over the page allocator, or a fixed buffer over FIXED_BYTES of pages. */
export function makeTwin(kind: BumpKind, viewStrategy: ViewStrategy, fast: boolean): Twin {
  const heap = smallHeap({ viewStrategy });
  const page = coreAllocatorOf(heap.pageAllocator, "page allocator");
  const calls = { alloc: 0, free: 0, resize: 0 };
  const core = countedCore(page.core, calls);
  const root = new CoreAllocator(heap, core, page.linear, page.handle, "page allocator");
  const offset = kind === "arena" ? ARENA_REGION : FIXED_REGION;
  const handle = kind === "arena" ? core.arenaInit(root.handle) : core.fixedInit(root.rawAlloc(FIXED_BYTES, 8), FIXED_BYTES);
  const allocator = root.child(handle, kind === "arena" ? "ArenaAllocator" : "FixedBufferAllocator", fast ? offset : undefined);
  calls.alloc = calls.free = calls.resize = 0;
  return { heap, allocator, core, calls, region: handle + offset };
}

/** The region's four words (start, capacity, end, seal) as memory holds them. */
export function regionWords(twin: Twin): number[] {
  return [...twin.heap.u32.subarray(twin.region >>> 2, (twin.region + BUMP_SIZE) >>> 2)];
}

/** What a call did: its value, or the class and message of what it threw. */
export function outcome(call: () => unknown): unknown {
  try {
    const value = call();
    return ArrayBuffer.isView(value) ? { byteOffset: value.byteOffset, byteLength: value.byteLength } : value;
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Both twins agree: the same region words, and both heaps validate. */
export function expectSameState(fast: Twin, slow: Twin): void {
  expect(regionWords(fast)).toEqual(regionWords(slow));
  fast.heap.validate();
  slow.heap.validate();
}
