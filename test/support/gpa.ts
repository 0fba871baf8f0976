// Helpers for the GeneralPurposeAllocator suites.

import { GeneralPurposeAllocator, type GeneralPurposeAllocatorOptions, type Heap } from "../../src/index";
import { smallHeap } from "./heaps";

export const FILL = 0xaa;
/** The largest request served from a size class; longer ones are large allocations. */
export { MAX_SMALL } from "../../bindings/abi.generated";

/** Both settings of `safety`, for describe.each. */
export const SAFETY_MODES = [["safety on", true], ["safety off", false]] as const;

/** A fresh heap and a GPA on its page allocator. */
export function freshGpa(options: GeneralPurposeAllocatorOptions = {}, heap: Heap = smallHeap()) {
  const gpa = new GeneralPurposeAllocator({ heap, ...options });
  return { heap, gpa, a: gpa.allocator() };
}

/** Whether every byte of [ptr, ptr + len) of `heap` is `value`. */
export function allBytes(heap: Heap, ptr: number, len: number, value: number): boolean {
  const bytes = heap.u8.subarray(ptr, ptr + len);
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== value) return false;
  return true;
}

/** A snapshot of what a rejected call must leave unchanged. */
export function snapshot(gpa: GeneralPurposeAllocator) {
  return { stats: gpa.stats(), requested: gpa.totalRequestedBytes, leaks: gpa.leaks() };
}
