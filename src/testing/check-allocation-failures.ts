// checkAllocationFailures: Zig's std.testing.checkAllAllocationFailures, which fails each allocation
// of the code under test in turn and demands that every failure surfaces and leaks nothing.

import type { Allocator } from "../heap";
import { checkAllocator } from "../composed-allocator";
import { describeValue } from "../checks";
import { OutOfMemoryError, WasmArenaError } from "../errors";
import { FailingAllocator } from "./failing-allocator";

/** What checkAllocationFailures found; each code is one of Zig's errors. */
export type AllocationFailureCheckCode =
  /** A run made to fail returned normally (Zig's error.SwallowedOutOfMemoryError). */
  | "SWALLOWED_OUT_OF_MEMORY"
  /** A run returned normally without reaching the allocation it was to fail (error.NondeterministicMemoryUsage). */
  | "NONDETERMINISTIC_MEMORY_USAGE"
  /** A run left allocations unfreed (error.MemoryLeakDetected). */
  | "MEMORY_LEAK_DETECTED";

/** The counts of the FailingAllocator of the run that failed the check. */
export interface AllocationCounts {
  readonly allocations: number;
  readonly deallocations: number;
  readonly allocatedBytes: number;
  readonly freedBytes: number;
}

/** A run of checkAllocationFailures broke its rules: the code says how, failIndex in which run. */
export class AllocationFailureCheckError extends WasmArenaError {
  constructor(
    readonly code: AllocationFailureCheckCode,
    /** The allocation made to fail (0-based), or undefined for the first run, which fails none. */
    readonly failIndex: number | undefined,
    /** Allocations the first run made: the number of runs that fail one. */
    readonly allocationCount: number,
    readonly counts: AllocationCounts,
    cause?: unknown,
  ) {
    super(describeFinding(code, failIndex, allocationCount, counts), cause === undefined ? undefined : { cause });
  }
}

function describeFinding(code: AllocationFailureCheckCode, failIndex: number | undefined, total: number, counts: AllocationCounts): string {
  const run = failIndex === undefined ? "with no allocation made to fail" : `with allocation ${failIndex} of ${total} made to fail`;
  switch (code) {
    case "SWALLOWED_OUT_OF_MEMORY":
      return `${run}, the callback returned normally instead of throwing the OutOfMemoryError (Zig's SwallowedOutOfMemoryError)`;
    case "NONDETERMINISTIC_MEMORY_USAGE":
      return `${run}, the callback made only ${counts.allocations} allocations and returned: `
        + `it allocates differently from run to run (Zig's NondeterministicMemoryUsage)`;
    case "MEMORY_LEAK_DETECTED":
      return `${run}, the callback leaked: ${counts.allocations} allocations of ${counts.allocatedBytes} bytes, `
        + `${counts.deallocations} frees of ${counts.freedBytes} bytes (Zig's MemoryLeakDetected)`;
  }
}

/**
 * Runs `body` once through a FailingAllocator over `backing` that fails nothing, to count its
 * allocations; then once per allocation, failing that one (and, as in Zig, every later one). A run
 * made to fail must throw the OutOfMemoryError and free all it allocated. Throws an
 * AllocationFailureCheckError for a run that returns normally instead, or leaks; any other error
 * of `body` surfaces unchanged. State shared between runs must be reset by `body` itself.
 *
 * Unlike Zig's, which leaves the first run to std.testing.allocator's leak check, the first run is
 * checked for leaks too: a backing here need not detect them. `body` must be synchronous.
 *
 * @example
 * checkAllocationFailures(gpa.allocator(), (a) => {
 *   const foo = a.alloc("u8", 10);
 *   try {
 *     const bar = a.alloc("u8", 10);                // when this fails, foo is still freed
 *     a.free(bar);
 *   } finally {
 *     a.free(foo);
 *   }
 * });
 */
export function checkAllocationFailures(backing: Allocator, body: (allocator: Allocator) => void): void {
  checkAllocator(backing, "checkAllocationFailures' backing allocator");
  if (typeof body !== "function") throw new TypeError(`checkAllocationFailures takes a function, got ${describeValue(body)}`);
  const first = new FailingAllocator(backing);
  run(body, first);
  const total = first.allocations;
  checkBalanced(first, undefined, total);
  for (let failIndex = 0; failIndex < total; failIndex++) {
    const failing = new FailingAllocator(backing, { failIndex });
    try {
      run(body, failing);
    } catch (error) {
      if (!(error instanceof OutOfMemoryError)) throw error;
      checkBalanced(failing, failIndex, total, error);
      continue;
    }
    const code = failing.hasInducedFailure ? "SWALLOWED_OUT_OF_MEMORY" : "NONDETERMINISTIC_MEMORY_USAGE";
    throw new AllocationFailureCheckError(code, failIndex, total, countsOf(failing));
  }
}

/** Runs `body` on the allocator of `failing`; TypeError if it returns a promise, which no run could await. */
function run(body: (allocator: Allocator) => void, failing: FailingAllocator): void {
  const result: unknown = body(failing.allocator());
  if (typeof (result as { then?: unknown } | null | undefined)?.then === "function") {
    throw new TypeError("checkAllocationFailures runs a synchronous callback; this one returned a promise");
  }
}

/** MEMORY_LEAK_DETECTED unless the run freed every allocation and every byte it allocated. */
function checkBalanced(failing: FailingAllocator, failIndex: number | undefined, total: number, cause?: unknown): void {
  if (failing.allocations === failing.deallocations && failing.allocatedBytes === failing.freedBytes) return;
  throw new AllocationFailureCheckError("MEMORY_LEAK_DETECTED", failIndex, total, countsOf(failing), cause);
}

function countsOf(failing: FailingAllocator): AllocationCounts {
  const { allocations, deallocations, allocatedBytes, freedBytes } = failing;
  return { allocations, deallocations, allocatedBytes, freedBytes };
}
