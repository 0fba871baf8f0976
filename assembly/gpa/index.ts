// The GeneralPurposeAllocator as an allocator kind: its vtable, its constructor, and what the ABI
// exports of it. The allocator itself is gpa.ts (alloc, free, resize), slab.ts (size classes),
// directory.ts (blocks by address) and inspect.ts (leaks, stats, validate).

import { newRecord } from "../records";
import { defineVTable } from "../vtable";
import { gpaAlloc, gpaResize, gpaFree, gpaDeinit, gpaSetUp } from "./gpa";
import { gpaValidate } from "./inspect";

export { GpaFlag, GPA_NO_LIMIT, gpaSetLimit, gpaRequested, gpaAlloc, gpaFree } from "./gpa";
export { GpaStat, GpaClassStat, LeakField, LEAK_BATCH, gpaLiveCount, gpaLeaks, leakBatchAddress, gpaStats } from "./inspect";
export { MAX_SMALL } from "./slab";
export { QUARANTINE_SLOTS } from "./quarantine";

/** The GPA kind; index.ts compares against it to call the GPA directly. */
export const GPA = defineVTable(gpaAlloc, gpaResize, gpaFree, gpaDeinit, gpaValidate);

/**
 * A new GPA over `backing`. `flags` is a GpaFlag set; `limit` caps the bytes live allocations
 * request (GPA_NO_LIMIT: no cap). 0 if no record could be made.
 */
export function gpaInit(backing: usize, flags: u32, limit: u32): usize {
  const gpa = newRecord(GPA);
  if (gpa != 0) gpaSetUp(gpa, backing, flags, limit);
  return gpa;
}
