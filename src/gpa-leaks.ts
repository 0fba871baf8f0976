// What a GeneralPurposeAllocator knows about its live allocations: reading them out of the core,
// the JavaScript stacks recorded with `stackTraces: true`, and the leak report.

import type { CoreAllocator } from "./core-allocator";
import type { Heap } from "./heap";
import type { AllocationStacks } from "./gpa-stacks";
import { LEAK_BATCH, LeakField } from "../bindings/abi.generated";

/** One live allocation of a GeneralPurposeAllocator, as deinit(), detectLeaks() and leaks() report it. */
export interface LeakReport {
  /** Byte offset of the allocation. */
  ptr: number;
  /**
   * Its length in bytes. With `safety: false` small allocations are not recorded one by one, so
   * this is the length of the slot that holds it (its size class).
   */
  len: number;
  /** Its alignment; with `safety: false`, for small allocations, the alignment of its slot. */
  align: number;
  /**
   * The JavaScript stack of the call that allocated it, with `stackTraces: true`; for memory that
   * an allocator stacked on the GPA (an arena) took for itself, the call that made it do so.
   */
  stack?: string;
}

/**
 * The live allocations of the GPA `gpa`, by address, with their stacks where recorded. The core
 * writes them in batches to a static area of its own, so listing them never allocates (it works
 * on a full heap, and never grows memory under the caller's views).
 */
export function readLeaks(gpa: CoreAllocator<Heap>, stacks: AllocationStacks | undefined): LeakReport[] {
  const handle = gpa.ownHandle();
  const { core } = gpa;
  const leaks: LeakReport[] = [];
  const batch = core.leakBatchAddress() >>> 2;
  for (let count = LEAK_BATCH, skip = 0; skip < count; skip += LEAK_BATCH) {
    count = core.gpaLeaks(handle, skip) >>> 0;
    const words = gpa.heap.u32;
    for (let i = 0; i < Math.min(LEAK_BATCH, count - skip); i++) {
      const at = batch + i * LeakField.COUNT;
      const leak: LeakReport = { ptr: words[at + LeakField.PTR], len: words[at + LeakField.LEN], align: words[at + LeakField.ALIGN] };
      const stack = stacks?.stackAt(leak.ptr);
      if (stack !== undefined) leak.stack = stack;
      leaks.push(leak);
    }
  }
  return leaks.sort((a, b) => a.ptr - b.ptr);
}

/** The line console.error prints for a leak, followed by its stack if recorded. */
export function formatLeak(leak: LeakReport): string {
  const line = `GeneralPurposeAllocator: leaked ${leak.len} bytes at byte offset ${leak.ptr} (align ${leak.align})`;
  return leak.stack === undefined ? line : `${line}\n${leak.stack}`;
}
