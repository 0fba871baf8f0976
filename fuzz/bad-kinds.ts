// The kinds of bad call the fuzzer mixes in, and which run by default. A kind marked `known` is a
// defect of today's code against API.md that is being fixed: it stays out of the default run (so
// that the default run is green and guards everything else) and runs with --all-bad-calls or
// --known-defects on, which then shows which of them still fail.

export const BAD_KINDS = {
  length: { known: false, what: "negative, fractional, NaN, infinite or huge length: RangeError" },
  align: { known: false, what: "alignment not a power of two up to 65536: RangeError or TypeError" },
  kind: { known: false, what: "unknown element kind: TypeError" },
  "double-free": { known: false, what: "second free of a block on a safety GPA: DoubleFreeError" },
  "cross-free": { known: false, what: "free through an allocator that did not hand the block out: InvalidFreeError" },
  "shape-mismatch": { known: false, what: "rawFree with another length or alignment on a safety GPA: InvalidFreeError" },
  "foreign-heap": { known: false, what: "a view of another heap: InvalidFreeError" },
  "after-deinit": { known: false, what: "an allocator used after deinit(): AllocatorDeinitializedError" },
  detached: { known: false, what: "under \"plain\", a view detached by growth: DetachedViewError" },
  "not-a-view": { known: false, what: "an object that is no typed array, off the heap's buffer: TypeError" },
  "view-dataview": { known: false, what: "a DataView over the heap's buffer given as a view: TypeError" },
  "view-plain-object": { known: false, what: "a plain object shaped like a view of the heap: TypeError" },
  "page-free-foreign": { known: false, what: "pageAllocator.free of a GPA's large block: InvalidFreeError" },
  "backing-deinit": { known: false, what: "an arena used after its backing GPA's deinit(): AllocatorDeinitializedError" },
  "double-free-reused": { known: false, what: "double free of a small block on a safety GPA after its size class allocated again (the quarantine): DoubleFreeError" },
  "double-free-reused-large": { known: true, what: "double free of a large block on a safety GPA after the same length was allocated again: DoubleFreeError" },
  "unsafe-free-zero": { known: false, what: "rawFree(0, n) on a GPA without safety: InvalidFreeError" },
  "raw-realloc": { known: false, what: "rawRealloc, which API.md lists on every Allocator, exists and moves the block" },
  "realloc-empty-oom": { known: false, what: "realloc of an empty view that runs out of memory: OutOfMemoryError (also lets legitimate reallocs of empty views run where memory may run out)" },
  "ongrow-sync": { known: false, what: "onGrow listeners ran before the growing call returned" },
} as const;

export type BadKind = keyof typeof BAD_KINDS;
export const ALL_BAD_KINDS = Object.keys(BAD_KINDS) as BadKind[];

/** The kinds a run mixes in: the chosen ones, else the unknown-defect ones plus, if asked, the known. */
export function enabledBadKinds(known: boolean, only: readonly string[] | null): BadKind[] {
  if (only !== null) {
    const unknown = only.filter((name) => !(name in BAD_KINDS));
    if (unknown.length > 0) throw new Error(`unknown bad-call kind(s) ${unknown.join(", ")}; known: ${ALL_BAD_KINDS.join(", ")}`);
    return only as BadKind[];
  }
  return ALL_BAD_KINDS.filter((kind) => known || !BAD_KINDS[kind].known);
}
