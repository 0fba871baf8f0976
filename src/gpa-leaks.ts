// What a GeneralPurposeAllocator knows about its live allocations: reading them out of the core,
// the JavaScript stacks recorded with `stackTraces: true`, and the leak report.

import type { CoreAllocator } from "./core-allocator";
import type { Heap } from "./heap";
import { OutOfMemoryError } from "./errors";
import { LeakField } from "../bindings/abi.generated";

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

/** The live allocations of the GPA `gpa`, by address, with their stacks where recorded. */
export function readLeaks(gpa: CoreAllocator<Heap>, stacks: ReadonlyMap<number, string> | undefined): LeakReport[] {
  const handle = gpa.liveHandle();
  const { core } = gpa;
  const count = core.gpaLiveCount(handle) >>> 0;
  if (count === 0) return [];
  const scratch = gpa.heap.pageAllocator;
  const bytes = count * LeakField.COUNT * 4;
  const out = scratch.rawAlloc(bytes, 4);
  if (out === 0) throw new OutOfMemoryError(bytes, " listing the GeneralPurposeAllocator's live allocations");
  try {
    core.gpaLeaks(handle, out, count);
    const words = new Uint32Array(gpa.linear.buffer, out, count * LeakField.COUNT);
    const leaks: LeakReport[] = [];
    for (let i = 0; i < words.length; i += LeakField.COUNT) {
      const leak: LeakReport = { ptr: words[i + LeakField.PTR], len: words[i + LeakField.LEN], align: words[i + LeakField.ALIGN] };
      const stack = stacks?.get(leak.ptr);
      if (stack !== undefined) leak.stack = stack;
      leaks.push(leak);
    }
    return leaks.sort((a, b) => a.ptr - b.ptr);
  } finally {
    scratch.rawFree(out, bytes, 4);
  }
}

/** The line console.error prints for a leak, followed by its stack if recorded. */
export function formatLeak(leak: LeakReport): string {
  const line = `GeneralPurposeAllocator: leaked ${leak.len} bytes at byte offset ${leak.ptr} (align ${leak.align})`;
  return leak.stack === undefined ? line : `${line}\n${leak.stack}`;
}
