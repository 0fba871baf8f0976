// The page allocator: whole 64 KiB pages of linear memory, taken with memory.grow and kept on free
// lists once given back (linear memory never shrinks).
//
//   0         heapBase    mapStart                ownersStart           firstPage          top    size
//   ┌─────────┬───────────┬───────────────────────┬─────────────────────┬──────────────────┬──────┐
//   │ statics │ counters, │ page map: 1 byte a page│ owners: 4 bytes a   │ runs, used and   │ wild │
//   │         │ bin heads │                        │ page                │ free             │      │
//   └─────────┴───────────┴───────────────────────┴─────────────────────┴──────────────────┴──────┘
//
// The owner of a used run (its first page's entry) is a reference (reference.ts) to the
// allocator it was handed to, or LIBRARY for the library's record pages; only that caller may
// free or resize it, so a GPA's block or an arena's chunk cannot be freed by anyone else.
//
// Every page from firstPage on has a state in the page map:
//   USED_HEAD, USED_BODY  a run handed out: its first page, then the rest
//   FREE                  a run given back; its pages carry the bookkeeping below
//   WILD                  at or above `top`: never handed out, or given back at the top
//
// A free run of n pages:
//
//   first page                                             last page (may be the first)
//   ┌───────┬──────┬──────┬─────────────────────┐ … ┌─────────────────────────┬──────┐
//   │ pages │ next │ prev │                     │   │                         │ head │
//   └───────┴──────┴──────┴─────────────────────┘   └─────────────────────────┴──────┘
//    +0      +4     +8                                               PAGE_SIZE-4
//
// `next` and `prev` link the runs of one size bin (bin b holds runs of 2^b to 2^(b+1)-1 pages) by
// first-page index; `head` lets a run freed just above find this run's start to merge with it.
// Invariants: no two free runs touch (they merge), and the page below `top` is never FREE (it
// merges into the wilderness).

import { PAGE_SIZE, MAX_PAGES, pagesFor, pageAddress, alignForward } from "./memory";
import { Status, fail } from "./status";
import { defineVTable } from "./vtable";
import { LIBRARY, recordOfReference } from "./reference";

@external("env", "memoryGrew")
declare function notifyGrow(oldPages: u32, newPages: u32): void;

const enum PageState { WILD = 0, FREE = 1, USED_HEAD = 2, USED_BODY = 3 }

const RUN_PAGES: usize = 0;
const RUN_NEXT: usize = 4;
const RUN_PREV: usize = 8;
const RUN_HEAD_FROM_END: usize = 4;

const BIN_COUNT: u32 = 17; // floor(log2(pages)) for 1 ..= 65535 pages

/** The page allocator's counters, u32 words at pageCounters (exported: heap.stats() reads them). */
export enum PageCounter { GROWS, ALLOCS, FREES, RESIZES, USED_PAGES, FREE_PAGES, COUNT }
export const pageCounters: usize = memory.data(PageCounter.COUNT << 2, 8);
const binHeads: usize = memory.data(BIN_COUNT * 4, 4);

let mapStart: usize = 0;
let ownersStart: usize = 0;
let firstPage: u32 = 0;
let top: u32 = 0;
let maxPages: u32 = 0;

// @ts-ignore: decorator
@inline function counter(which: PageCounter): u32 { return load<u32>(pageCounters + (<usize>which << 2)); }
// @ts-ignore: decorator
@inline function count(which: PageCounter, by: i32 = 1): void {
  store<u32>(pageCounters + (<usize>which << 2), counter(which) + by);
}
// @ts-ignore: decorator
@inline function stateOf(page: u32): PageState { return load<u8>(mapStart + page); }
// @ts-ignore: decorator
@inline function setState(page: u32, count: u32, state: PageState): void {
  memory.fill(mapStart + page, <u8>state, count);
}
// @ts-ignore: decorator
@inline function ownerOf(page: u32): usize { return load<u32>(ownersStart + (<usize>page << 2)); }
// @ts-ignore: decorator
@inline function binOf(pages: u32): u32 { return 31 - clz(pages); }
// @ts-ignore: decorator
@inline function runPages(page: u32): u32 { return load<u32>(pageAddress(page) + RUN_PAGES); }

/**
 * Lays out the metadata for a heap of at most `maximumPages` pages, growing memory to hold it.
 * Returns false if the memory cannot hold even that.
 */
export function pageInit(maximumPages: u32): bool {
  maxPages = min(maximumPages, MAX_PAGES);
  mapStart = alignForward(__heap_base, 8);
  ownersStart = alignForward(mapStart + maxPages, 4);
  firstPage = pagesFor(ownersStart + (<usize>maxPages << 2));
  top = firstPage;
  return ensureMapped(firstPage);
}

/** Makes pages [0, endPage) part of linear memory, growing it if needed. */
function ensureMapped(endPage: u32): bool {
  const size = <u32>memory.size();
  if (endPage <= size) return true;
  if (endPage > maxPages) return false;
  const needed = endPage - size;
  // Grow by an eighth of the memory at least, so that a heap growing page by page does not
  // detach every plain view at each step.
  const generous = min(max(needed, size >> 3), maxPages - size);
  if (memory.grow(generous) < 0 && memory.grow(needed) < 0) return false;
  const grown = <u32>memory.size();
  count(PageCounter.GROWS);
  notifyGrow(size, grown);
  return true;
}

/** Grows memory now so that any requests totalling `pages` pages can be met without growing. */
export function pageReserve(pages: u32): bool {
  // Free runs count for nothing: fragmented, they may fit none of the next requests. Only the
  // wilderness serves any request of up to `pages` pages without growing.
  return <u64>top + <u64>pages <= <u64>maxPages && ensureMapped(top + pages);
}

function linkFree(page: u32, pages: u32): void {
  assert(pages != 0 && page >= firstPage && page + pages < top, "linking a page run outside the used pages");
  setState(page, pages, PageState.FREE);
  const start = pageAddress(page);
  const bin = binHeads + (binOf(pages) << 2);
  const next = load<u32>(bin);
  store<u32>(start + RUN_PAGES, pages);
  store<u32>(start + RUN_NEXT, next);
  store<u32>(start + RUN_PREV, 0);
  store<u32>(pageAddress(page + pages - 1) + PAGE_SIZE - RUN_HEAD_FROM_END, page);
  if (next != 0) store<u32>(pageAddress(next) + RUN_PREV, page);
  store<u32>(bin, page);
  count(PageCounter.FREE_PAGES, pages);
}

function unlinkFree(page: u32): u32 {
  assert(stateOf(page) == PageState.FREE, "unlinking a page run that is not free");
  const start = pageAddress(page);
  const pages = load<u32>(start + RUN_PAGES);
  assert(pages != 0 && page + pages <= top, "a free page run of impossible length");
  const next = load<u32>(start + RUN_NEXT);
  const prev = load<u32>(start + RUN_PREV);
  if (prev != 0) store<u32>(pageAddress(prev) + RUN_NEXT, next);
  else store<u32>(binHeads + (binOf(pages) << 2), next);
  if (next != 0) store<u32>(pageAddress(next) + RUN_PREV, prev);
  count(PageCounter.FREE_PAGES, -pages);
  return pages;
}

function markUsed(page: u32, pages: u32, owner: usize): void {
  store<u8>(mapStart + page, <u8>PageState.USED_HEAD);
  store<u32>(ownersStart + (<usize>page << 2), owner);
  if (pages > 1) setState(page + 1, pages - 1, PageState.USED_BODY);
  count(PageCounter.USED_PAGES, pages);
}

/** Gives pages [page, page + pages) back, merging with free neighbours and the wilderness. */
function release(page: u32, pages: u32): void {
  count(PageCounter.USED_PAGES, -pages);
  const end = page + pages;
  if (end < top && stateOf(end) == PageState.FREE) pages += unlinkFree(end);
  if (page > firstPage && stateOf(page - 1) == PageState.FREE) {
    const below = load<u32>(pageAddress(page) - RUN_HEAD_FROM_END);
    pages += unlinkFree(below);
    page = below;
  }
  if (page + pages == top) {
    setState(page, pages, PageState.WILD);
    top = page;
  } else {
    linkFree(page, pages);
  }
}

/**
 * Whether `page` starts a free run as linkFree wrote it: its first and last pages FREE in the
 * page map, the last one's head word naming it, and the page after it not FREE. Checked before
 * a run read from metadata is handed out or merged, so a damaged link or length cannot hand out
 * pages a used run holds (O(1): the pages between are not visited).
 */
function isFreeRun(page: u32): bool {
  if (page < firstPage || page >= top || stateOf(page) != PageState.FREE) return false;
  const pages = runPages(page);
  const end = <u64>page + <u64>pages;
  if (pages == 0 || end >= <u64>top) return false;
  return stateOf(<u32>end - 1) == PageState.FREE && stateOf(<u32>end) != PageState.FREE
    && load<u32>(pageAddress(<u32>end - 1) + PAGE_SIZE - RUN_HEAD_FROM_END) == page;
}

/**
 * Whether the free runs that pages [page, end) would merge with on release are sound (isFreeRun),
 * the one below ending exactly at `page`.
 */
function neighboursSound(page: u32, end: u32): bool {
  if (end < top && stateOf(end) == PageState.FREE && !isFreeRun(end)) return false;
  if (page <= firstPage || stateOf(page - 1) != PageState.FREE) return true;
  const below = load<u32>(pageAddress(page) - RUN_HEAD_FROM_END);
  return isFreeRun(below) && below + runPages(below) == page;
}

/** Takes a run of `pages` pages: first fit from the bins, else from the wilderness. 0 if none. */
function acquire(pages: u32, owner: usize): u32 {
  for (let bin = binOf(pages); bin < BIN_COUNT; bin++) {
    let run = load<u32>(binHeads + (bin << 2));
    // A bin holds fewer runs than there are pages: a longer walk is a cycle in damaged metadata.
    let budget = maxPages;
    while (run != 0 && isFreeRun(run) && runPages(run) < pages && budget != 0) {
      run = load<u32>(pageAddress(run) + RUN_NEXT);
      budget--;
    }
    if (run == 0) continue;
    if (!isFreeRun(run) || budget == 0) {
      fail(Status.CORRUPTION, pageAddress(run));
      return 0;
    }
    const found = unlinkFree(run);
    if (found > pages) linkFree(run + pages, found - pages);
    markUsed(run, pages, owner);
    return run;
  }
  if (!ensureMapped(top + pages)) return 0;
  const run = top;
  top += pages;
  markUsed(run, pages, owner);
  return run;
}

/**
 * Whether `ptr` starts a used run of exactly `pages` pages handed to `owner`: every page after
 * the head is its body (no other run's head among them), and the page after is not. The page
 * map is read a word at a time where it can be: a length off by any number of pages, the
 * caller's or a damaged record's, never reaches another run.
 */
function isUsedRun(ptr: usize, pages: u32, owner: usize): bool {
  if ((ptr & (PAGE_SIZE - 1)) != 0) return false;
  const page = <u32>(ptr >> 16);
  if (page < firstPage || <u64>page + <u64>pages > <u64>top || stateOf(page) != PageState.USED_HEAD
    || ownerOf(page) != owner) return false;
  if (!allBody(page + 1, pages - 1)) return false;
  return page + pages == top || stateOf(page + pages) != PageState.USED_BODY;
}

/** Whether the page map says USED_BODY for each of pages [page, page + count). */
function allBody(page: u32, count: u32): bool {
  const BODY_WORD: u64 = 0x0303_0303_0303_0303;
  if (<u8>PageState.USED_BODY != 3) ERROR("BODY_WORD spells USED_BODY in every byte");
  let at = mapStart + page;
  const end = at + count;
  for (; at + 8 <= end; at += 8) if (load<u64>(at) != BODY_WORD) return false;
  for (; at < end; at++) if (load<u8>(at) != <u8>PageState.USED_BODY) return false;
  return true;
}

/** Pages for `len` bytes, handed to `owner`; any alignment up to a page is met by every page. 0 if out of memory. */
export function pageAlloc(len: usize, owner: usize): usize {
  count(PageCounter.ALLOCS);
  const pages = pagesFor(len);
  if (pages > maxPages) return 0;
  return pageAddress(acquire(pages, owner));
}

/** Gives back the run at `ptr` that was allocated with `len` bytes. */
function pageFree(ptr: usize, len: usize, owner: usize): Status {
  const pages = pagesFor(len);
  if (!isUsedRun(ptr, pages, owner)) return fail(Status.INVALID_FREE, ptr);
  const page = <u32>(ptr >> 16);
  if (!neighboursSound(page, page + pages)) return fail(Status.CORRUPTION, ptr);
  count(PageCounter.FREES);
  release(page, pages);
  return Status.OK;
}

/**
 * Resizes the run at `ptr` in place. Shrinking always succeeds; growing succeeds when the pages
 * above are free or wild. A new length within the same page count changes nothing.
 */
function pageResize(ptr: usize, len: usize, newLen: usize, owner: usize): Status {
  const pages = pagesFor(len);
  if (!isUsedRun(ptr, pages, owner)) return fail(Status.INVALID_FREE, ptr);
  count(PageCounter.RESIZES);
  const wanted = pagesFor(newLen);
  if (wanted == pages) return Status.OK;
  const page = <u32>(ptr >> 16);
  const end = page + pages;
  if (!neighboursSound(end, end)) return fail(Status.CORRUPTION, ptr);
  if (wanted < pages) {
    release(page + wanted, pages - wanted);
    return Status.OK;
  }
  const extra = wanted - pages;
  if (end == top) {
    if (!ensureMapped(top + extra)) return Status.OUT_OF_MEMORY;
    top += extra;
  } else if (isFreeRun(end) && runPages(end) >= extra) {
    const found = unlinkFree(end);
    if (found > extra) linkFree(end + extra, found - extra);
  } else {
    return Status.OUT_OF_MEMORY;
  }
  setState(end, extra, PageState.USED_BODY);
  count(PageCounter.USED_PAGES, extra);
  return Status.OK;
}

/** Checks the page map, the free runs and the bins against each other. */
export function pageValidate(): Status {
  if (top > <u32>memory.size() || top < firstPage) return fail(Status.CORRUPTION, pageAddress(top));
  let freeRuns: u32 = 0;
  let usedPages: u32 = 0;
  let freePages: u32 = 0;
  let page = firstPage;
  while (page < top) {
    const state = stateOf(page);
    if (state == PageState.USED_HEAD) {
      if (!isOwner(ownerOf(page))) return fail(Status.CORRUPTION, pageAddress(page));
      usedPages++;
      page++;
      while (page < top && stateOf(page) == PageState.USED_BODY) { usedPages++; page++; }
    } else if (state == PageState.FREE) {
      const pages = runPages(page);
      if (pages == 0 || page + pages >= top) return fail(Status.CORRUPTION, pageAddress(page));
      for (let i: u32 = 0; i < pages; i++) {
        if (stateOf(page + i) != PageState.FREE) return fail(Status.CORRUPTION, pageAddress(page + i));
      }
      if (load<u32>(pageAddress(page + pages - 1) + PAGE_SIZE - RUN_HEAD_FROM_END) != page) {
        return fail(Status.CORRUPTION, pageAddress(page));
      }
      if (stateOf(page + pages) == PageState.FREE) return fail(Status.CORRUPTION, pageAddress(page));
      freeRuns++;
      freePages += pages;
      page += pages;
    } else {
      return fail(Status.CORRUPTION, pageAddress(page));
    }
  }
  for (let rest = top; rest < maxPages; rest++) {
    if (stateOf(rest) != PageState.WILD) return fail(Status.CORRUPTION, pageAddress(rest));
  }
  let linked: u32 = 0;
  for (let bin: u32 = 0; bin < BIN_COUNT; bin++) {
    let prev: u32 = 0;
    let run = load<u32>(binHeads + (bin << 2));
    while (run != 0) {
      if (run < firstPage || run >= top || stateOf(run) != PageState.FREE || binOf(runPages(run)) != bin
        || load<u32>(pageAddress(run) + RUN_PREV) != prev || ++linked > freeRuns) {
        return fail(Status.CORRUPTION, pageAddress(run));
      }
      prev = run;
      run = load<u32>(pageAddress(run) + RUN_NEXT);
    }
  }
  if (linked != freeRuns || usedPages != counter(PageCounter.USED_PAGES)
    || freePages != counter(PageCounter.FREE_PAGES)) {
    return fail(Status.CORRUPTION, 0);
  }
  return Status.OK;
}

/**
 * Whether `owner` can own a run: LIBRARY, or a reference (pageIsReference).
 */
function isOwner(owner: usize): bool {
  return owner == LIBRARY || pageIsReference(owner);
}

/**
 * Whether `reference` points into one of the library's record pages: what every reference to an
 * allocator does, though its allocator may have ended since (a GPA's leaked blocks keep their
 * dead owner; an arena over a deinitialized backing keeps its stale reference).
 */
export function pageIsReference(reference: usize): bool {
  const page = <u32>(recordOfReference(reference) >> 16);
  return page >= firstPage && page < top && stateOf(page) == PageState.USED_HEAD && ownerOf(page) == LIBRARY;
}

/** The page at which free and used runs start (everything below is metadata). */
export function pageFirst(): u32 { return firstPage; }
/** The first wild page. */
export function pageTop(): u32 { return top; }

// The page allocator as an allocator kind. Its state is the module's, not its record's: the
// record only gives it a handle, and pageValidate() checks the page map for the whole heap.

function pageAllocOp(_self: usize, len: usize, _align: usize, caller: usize): usize { return pageAlloc(len, caller); }
function pageResizeOp(_self: usize, ptr: usize, len: usize, newLen: usize, _align: usize, caller: usize): Status {
  return pageResize(ptr, len, newLen, caller);
}
function pageFreeOp(_self: usize, ptr: usize, len: usize, _align: usize, caller: usize): Status {
  return pageFree(ptr, len, caller);
}
/** The heap's page allocator lives as long as its memory. */
function pageDeinitOp(_self: usize): void {}
function pageValidateOp(_self: usize): Status { return Status.OK; }

export const PAGE = defineVTable(pageAllocOp, pageResizeOp, pageFreeOp, pageDeinitOp, pageValidateOp);
