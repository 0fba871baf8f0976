// What costs the time where a target is missed, and what change would close the gap: read from
// CPU profiles of the cell run alone (`node --cpu-prof`, see "Reproduce"). Keyed by target id
// without its live-count suffix; RESULTS.md shows a note only while its target is missed.

const VIEW_PATH = "**View path against the floor.** Both build the same three typed arrays per item; the "
  + "floor bumps an offset in JavaScript and TurboFan inlines its `new Float64Array(buffer, offset, n)`. "
  + "wasm-arena resolves the kind with a `switch` of constant names and builds the view with one `new` "
  + "per kind, so with a constant kind both fold to the same inlined construction as the floor's (a "
  + "profile before that change charged a fifth of the time to a megamorphic `KINDS[kind]` lookup and a "
  + "quarter to uninlined view factories; the change took the gap from 2.1x to about 1.7x). What is left "
  + "is the call into WebAssembly, about 5 ns per allocation on Node 20 including the bump inside it, "
  + "and the argument checks. Closing the rest needs a JavaScript fast path for the arena's bump (read "
  + "and advance the bump region, which lives in linear memory, through an Int32Array view, and call "
  + "WebAssembly only when the chunk is full). That would move a decision about bytes out of the core, "
  + "which the library's design keeps in one place, so it is a trade-off to decide, not a tuning step.";

const RAW_PATH = "**Raw path against the floor and MemPool.** The floor and MemPool's `malloc` + `freeAll` "
  + "are plain JavaScript that TurboFan inlines into the loop (after `freeAll` MemPool's free list is "
  + "empty, so `malloc` is a bump of its top and a header write). wasm-arena's `rawAlloc` is one call into "
  + "WebAssembly per allocation: calling `core.alloc` directly, without the TypeScript wrapper, costs "
  + "about 7 ns per temporary against the floor's 3 (about 5 ns of that is the call and the bump inside "
  + "WebAssembly, which is 22% of the profile); the wrapper's checks (`liveHandle`, `byteLength`, "
  + "`checkAlign`, `>>> 0`) add about 3 ns more. No tuning of the WebAssembly side can get under the cost "
  + "of the transition itself: closing the gap needs the JavaScript bump fast path described for the "
  + "view path (the arena's region read and advanced in JavaScript, WebAssembly called only for a new "
  + "chunk), with the argument checks folded into one comparison.";

const FREE_FLAT = "**Free cost from 1,000 to 1,000,000 live.** The free itself does the same O(1) work "
  + "at every size (a slab found from the address, a push on its free list); what grows is memory latency. "
  + "A million mixed-size blocks span about 150 MB, far beyond the caches and the TLB, so a random free "
  + "misses on the freed slot (without safety the free list's link is written into it; with safety the "
  + "slot's metadata word is checked and takes the link, and the whole block is filled with 0xAA) and on "
  + "its slab's header, which sits at the slab's far end, another 4 KiB page. The memory floor shows it: "
  + "merely reading the first byte of the same blocks grows as much or more (the ratios beside the "
  + "target), and so does TLSF, whose free is O(1) by construction. What would flatten it is locality, "
  + "not a different algorithm: keeping free-list links in the slab header (a bitmap) so that a free "
  + "touches one cache line instead of two would cut one miss; frees that follow their allocations "
  + "closely, or an arena for short-lived data, avoid the misses altogether.";

export const MISSED_TARGET_NOTES: Record<string, string> = {
  "batch-view-speedup": "**View path against plain typed arrays.** Plain typed arrays cost what the "
    + "collector makes them cost: each `new Float64Array(100)` has an off-heap backing store that a "
    + "scavenge must sweep, and how often it runs depends on the rest of the heap and the machine's load, "
    + "which is why that row has the widest spread of any. The arena's side of the ratio is the view "
    + "path's cost explained under the floor target; closing that gap raises this ratio with it.",
  "batch-view-floor": VIEW_PATH,
  "batch-raw-floor": RAW_PATH,
  "batch-raw-thing": RAW_PATH,
  "gpa-free-flat-gpa-fast": FREE_FLAT,
  "gpa-free-flat-gpa-safe": FREE_FLAT,
};
