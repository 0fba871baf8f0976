// GeneralPurposeAllocator: Zig's std.heap.GeneralPurposeAllocator (DebugAllocator) over any
// backing allocator.
//
// Small requests (see slab.ts) come from slabs of one size class each; large ones are blocks
// of their own from the backing allocator, 64 KiB-aligned and listed in the page directory (see
// directory.ts). Both take the backing allocator's 64 KiB alignment, so a pointer that is not
// on a 64 KiB boundary is always a slot, and `ptr & ~SLAB_MASK` is its slab.
//
//   record body ┌─────────┬───────┬───────┬───────────┬───────┬───────────┬────────────┬────────────────┐
//               │ backing │ flags │ limit │ requested │ spare │ directory │ quarantine │ heads[CLASSES] │
//               └─────────┴───────┴───────┴───────────┴───────┴───────────┴────────────┴────────────────┘
//                BACKING   FLAGS   LIMIT   REQUESTED   SPARE   DIRECTORY   QUARANTINE   HEADS
//
// heads[c] is the first slab of class c's ring. The ring keeps slabs with a free slot ahead of
// full ones: alloc takes from the head and, when that fills it, moves the head on; a free into a
// full slab moves it to the front. So alloc and free touch one slab and one head word, whatever
// the number of live allocations. A slab left empty goes back to the backing allocator, except
// that one is kept as the spare (of any class), so that an alloc/free pair at the edge of a
// class does not call the backing allocator each time.
//
// Without safety, alloc and free are the slab's free list and counters, the limit check and
// `requested`. With safety (GpaFlag.SAFETY), every free and resize first proves the pointer is live
// here with the length and alignment it was allocated with (checkLive), both new and freed bytes
// are filled with 0xAA, and a freed slot waits in the quarantine (quarantine.ts) before it can be
// handed out again; nothing changes when a check fails.

import { BODY, RECORD_SIZE, freeRecord, referenceOf } from "../records";
import { PAGE_SIZE, alignForward } from "../memory";
import { Status, fail } from "../status";
import { backingAlloc, backingResize, backingFree } from "../dispatch";
import { CLASS_COUNT, MAX_SMALL, SLAB_SIZE, classFor, classSize, slabOf, slabFormat,
  slabPop, slabPush, slabIsFull, slabUsed, slabClass, slabSize, slabBump, slabCapacity, slotIndex, metaAt,
  metaInUse, metaIsUsed, metaLen, metaAlign, ringPushFront, ringUnlink, slabNext, log2, couldBeSlot, isSlabOf, isEmptySlab, isHeldSlot,
  slabAllFree, slabRewind, META_HELD } from "./slab";
import { QUARANTINE_SIZE, quarantineIntact, quarantineReady, quarantineHold, quarantineRelease, quarantineEnd } from "./quarantine";
import { EntryKind, DIRECTORY_SIZE, dirFind, dirReserve, dirPut, dirRemove, dirRelease, entryKey, entryLen,
  entryKind, entryDetail, entrySet } from "./directory";

const BACKING: usize = BODY;
const FLAGS: usize = BACKING + sizeof<u32>();
const LIMIT: usize = FLAGS + sizeof<u32>();
const REQUESTED: usize = LIMIT + sizeof<u32>();
const SPARE: usize = REQUESTED + sizeof<u32>();
const DIRECTORY: usize = SPARE + sizeof<u32>();
const QUARANTINE: usize = DIRECTORY + DIRECTORY_SIZE;
const HEADS: usize = QUARANTINE + QUARANTINE_SIZE;
const GPA_END: usize = HEADS + (<usize>CLASS_COUNT << 2);
if (GPA_END > RECORD_SIZE) ERROR("the GPA's fields overflow its record");

/** gpaInit's flags (exported: JavaScript passes them). */
export enum GpaFlag {
  /** Check every free and resize, fill new and freed memory, record every slot's length. */
  SAFETY = 1,
  /** Report every allocation and free to JavaScript, which records the stack of each. */
  TRACE = 2,
}
/** The limit that never binds: memory ends below 4 GiB. */
export const GPA_NO_LIMIT: u32 = 0xFFFF_FFFF;

/** Called with GpaFlag.TRACE after each allocation (len > 0) and free (len 0) of `gpa`. */
@external("env", "allocationTraced")
declare function allocationTraced(gpa: usize, ptr: usize, len: usize): void;
/** What new and freed memory is filled with under safety, as Zig's `undefined` is in debug. */
const FILL: u8 = 0xAA;
/** Every block the GPA takes from its backing allocator has this alignment. */
const BLOCK_ALIGN: usize = PAGE_SIZE;

// @ts-ignore: decorator
@inline export function backingOf(gpa: usize): usize { return load<u32>(gpa + BACKING); }
// @ts-ignore: decorator
@inline function flagsOf(gpa: usize): u32 { return load<u32>(gpa + FLAGS); }
// @ts-ignore: decorator
@inline export function isSafe(gpa: usize): bool { return (flagsOf(gpa) & GpaFlag.SAFETY) != 0; }
// @ts-ignore: decorator
@inline export function directoryOf(gpa: usize): usize { return gpa + DIRECTORY; }
// @ts-ignore: decorator
@inline export function quarantineOf(gpa: usize): usize { return gpa + QUARANTINE; }
// @ts-ignore: decorator
@inline export function headOf(gpa: usize, c: u32): usize { return gpa + HEADS + (<usize>c << 2); }
// @ts-ignore: decorator
@inline export function spareOf(gpa: usize): usize { return load<u32>(gpa + SPARE); }
// @ts-ignore: decorator
@inline function requestedOf(gpa: usize): usize { return load<u32>(gpa + REQUESTED); }
// @ts-ignore: decorator
@inline function fits(gpa: usize, more: usize): bool {
  return <u64>requestedOf(gpa) + <u64>more <= <u64>load<u32>(gpa + LIMIT);
}

/** Makes the zeroed record `gpa` a GPA over `backing` (kept as a reference) with GpaFlag `flags`, `limit` capping `requested`. */
export function gpaSetUp(gpa: usize, backing: usize, flags: u32, limit: u32): void {
  store<u32>(gpa + BACKING, referenceOf(backing));
  store<u32>(gpa + FLAGS, flags);
  store<u32>(gpa + LIMIT, limit);
}

/** Sets the cap on requested bytes; allocations already made stay. */
export function gpaSetLimit(gpa: usize, limit: u32): void {
  store<u32>(gpa + LIMIT, limit);
}

/** Bytes requested by the live allocations (Zig's total_requested_bytes). */
export function gpaRequested(gpa: usize): usize {
  return requestedOf(gpa);
}

/**
 * Ends the GPA: the spare slab and the directory go back to the backing allocator, then the
 * record. Live allocations are leaks: as in Zig, their slabs and blocks stay with the backing
 * allocator, so that anything still pointing into them (a forgotten arena) stays intact.
 */
export function gpaDeinit(gpa: usize): void {
  releaseQuarantine(gpa);
  const backing = backingOf(gpa);
  quarantineEnd(gpa, quarantineOf(gpa), backing);
  const spare = spareOf(gpa);
  // Each piece is forgotten before its backing call, which may throw: a deinit() that threw can
  // be called again without freeing anything twice.
  store<u32>(gpa + SPARE, 0);
  if (spare != 0 && isEmptySlab(spare, isSafe(gpa))) backingFree(gpa, backing, spare, SLAB_SIZE, BLOCK_ALIGN);
  dirRelease(gpa, directoryOf(gpa), backing);
  freeRecord(gpa);
}

/** `len` bytes (1 or more) aligned to `align`; 0 when over the limit or out of memory. */
export function gpaAlloc(gpa: usize, len: usize, align: usize, _caller: usize): usize {
  if (!fits(gpa, len)) return 0;
  const c = classFor(len, align);
  const ptr = c < CLASS_COUNT ? smallAlloc(gpa, c) : largeAlloc(gpa, len, align);
  if (ptr == 0) return 0;
  store<u32>(gpa + REQUESTED, requestedOf(gpa) + len);
  const flags = flagsOf(gpa);
  if (flags != 0) {
    if ((flags & GpaFlag.SAFETY) != 0) {
      if (c < CLASS_COUNT) store<u32>(metaAt(slabOf(ptr), slotIndex(slabOf(ptr), ptr)), metaInUse(len, align));
      memory.fill(ptr, FILL, len);
    }
    if ((flags & GpaFlag.TRACE) != 0) allocationTraced(gpa, ptr, len);
  }
  return ptr;
}

// @ts-ignore: decorator
@inline function smallAlloc(gpa: usize, c: u32): usize {
  const head = headOf(gpa, c);
  let slab: usize = load<u32>(head);
  if (slab != 0 && !isSlabOf(slab, c, isSafe(gpa))) {
    fail(Status.CORRUPTION, head);
    return 0;
  }
  if (slab == 0 || slabIsFull(slab)) {
    slab = newSlab(gpa, c);
    if (slab == 0) return 0;
  }
  const slot = slabPop(slab);
  if (slot == 0) {
    fail(Status.CORRUPTION, slab);
    return 0;
  }
  if (slabIsFull(slab)) store<u32>(head, slabNext(slab));
  return slot;
}

/**
 * A slab with free slots at the front of class `c`'s ring: one the quarantine gave slots back
 * to, else the spare, else a new page. Held slots go oldest first, and only until class `c` has
 * room or a slab emptied into the spare: the newest frees stay held, for the double frees most
 * likely to follow them, and the GPA never takes memory while held slots could serve instead.
 */
function newSlab(gpa: usize, c: u32): usize {
  const safe = isSafe(gpa);
  const quarantine = quarantineOf(gpa);
  if (safe && !quarantineIntact(quarantine)) {
    fail(Status.CORRUPTION, quarantine);
    return 0;
  }
  while (safe && spareOf(gpa) == 0) {
    const slot = quarantineRelease(quarantine);
    if (slot == 0) break;
    if (isHeldSlot(slot)) smallFree(gpa, slot);
    const first: usize = load<u32>(headOf(gpa, c));
    if (first != 0 && !slabIsFull(first)) return first;
  }
  let slab = spareOf(gpa);
  if (slab != 0 && !isEmptySlab(slab, safe)) {
    fail(Status.CORRUPTION, gpa + SPARE);
    return 0;
  }
  if (slab != 0) {
    store<u32>(gpa + SPARE, 0);
    if (slabClass(slab) != c) slabFormat(slab, c, safe);
  } else {
    const backing = backingOf(gpa);
    if (safe && !dirReserve(gpa, directoryOf(gpa), backing)) return 0;
    slab = backingAlloc(gpa, backing, SLAB_SIZE, BLOCK_ALIGN);
    if (slab == 0) return 0;
    if (safe) dirPut(directoryOf(gpa), slab, 0, EntryKind.SLAB, c);
    slabFormat(slab, c, safe);
  }
  ringPushFront(headOf(gpa, c), slab);
  return slab;
}

function largeAlloc(gpa: usize, len: usize, align: usize): usize {
  // Held slots pin their slabs; the backing allocator may need those pages for this block.
  if (isSafe(gpa)) releaseQuarantine(gpa);
  const backing = backingOf(gpa);
  if (!dirReserve(gpa, directoryOf(gpa), backing)) return 0;
  const ptr = backingAlloc(gpa, backing, len, BLOCK_ALIGN);
  if (ptr != 0) dirPut(directoryOf(gpa), ptr, len, EntryKind.LARGE, log2(align));
  return ptr;
}

/**
 * The directory entry of the large allocation at `ptr`, or 0 if `ptr` is a slot. Large blocks
 * start on 64 KiB boundaries, so only there is the directory asked.
 */
// @ts-ignore: decorator
@inline function largeEntry(gpa: usize, ptr: usize): usize {
  if ((ptr & (BLOCK_ALIGN - 1)) != 0) return 0;
  const entry = dirFind(directoryOf(gpa), ptr);
  return entry != 0 && entryKind(entry) == EntryKind.LARGE ? entry : 0;
}

/**
 * Frees [ptr, ptr + len), allocated with `align` (0: as allocated). With safety, a misuse is
 * reported and changes nothing; without, it is undefined behaviour, as in Zig's release modes.
 */
export function gpaFree(gpa: usize, ptr: usize, len: usize, align: usize, _caller: usize): Status {
  const flags = flagsOf(gpa);
  const safe = (flags & GpaFlag.SAFETY) != 0;
  if (safe) {
    const status = checkLive(gpa, ptr, len, align);
    if (status != Status.OK) return status;
  }
  const large = largeEntry(gpa, ptr);
  if (large == 0 && (len > MAX_SMALL || (!safe && !couldBeSlot(ptr)))) return fail(Status.INVALID_FREE, ptr);
  // A backing allocator written in TypeScript may throw from any call. The one backing call made
  // before the free is done (the quarantine's ring, taken at the first free with safety) leaves
  // the block allocated and untouched when it throws; every later one comes after this GPA's
  // bookkeeping, so the block is then freed as far as the GPA is concerned.
  const ready = safe && large == 0 && quarantineReady(gpa, quarantineOf(gpa), backingOf(gpa));
  if (safe) memory.fill(ptr, FILL, len);
  store<u32>(gpa + REQUESTED, requestedOf(gpa) - len);
  if ((flags & GpaFlag.TRACE) != 0) allocationTraced(gpa, ptr, 0);
  if (large != 0) largeFree(gpa, large);
  else if (safe) holdSlot(gpa, ptr, ready);
  else smallFree(gpa, ptr);
  return Status.OK;
}

// @ts-ignore: decorator
@inline function smallFree(gpa: usize, ptr: usize): void {
  const slab = slabOf(ptr);
  const wasFull = slabIsFull(slab);
  slabPush(slab, ptr);
  if (wasFull) {
    const head = headOf(gpa, slabClass(slab));
    if (<usize>load<u32>(head) != slab) {
      ringUnlink(head, slab);
      ringPushFront(head, slab);
    }
  } else if (slabUsed(slab) == 0 && slabAllFree(slab)) {
    // A count of 0 that the free list denies is damage: the slab stays, and validate() reports it.
    slabEmptied(gpa, slab);
  }
}

/**
 * With safety: `slot` is free to its owner, but waits in the quarantine before it is reused, if
 * the quarantine is `ready` (quarantineReady).
 */
function holdSlot(gpa: usize, slot: usize, ready: bool): void {
  const slab = slabOf(slot);
  store<u32>(metaAt(slab, slotIndex(slab, slot)), META_HELD);
  // Without a ring (the backing allocator had no room) the slot is released at once.
  const released = ready ? quarantineHold(quarantineOf(gpa), slot) : slot;
  if (released != 0 && isHeldSlot(released)) smallFree(gpa, released);
}

/** Gives every slot the quarantine holds back to its slab. */
function releaseQuarantine(gpa: usize): void {
  const quarantine = quarantineOf(gpa);
  for (let slot = quarantineRelease(quarantine); slot != 0; slot = quarantineRelease(quarantine)) {
    if (isHeldSlot(slot)) smallFree(gpa, slot);
  }
}

/** `slab` has no slot in use: it becomes the spare, or goes back to the backing allocator. */
function slabEmptied(gpa: usize, slab: usize): void {
  ringUnlink(headOf(gpa, slabClass(slab)), slab);
  if (!isSafe(gpa)) slabRewind(slab);
  if (spareOf(gpa) == 0) {
    store<u32>(gpa + SPARE, slab);
    return;
  }
  if (isSafe(gpa)) {
    const entry = dirFind(directoryOf(gpa), slab);
    entrySet(entry, slabBump(slab) - slab, EntryKind.GIVEN_BACK_SLAB, slabClass(slab));
  }
  backingFree(gpa, backingOf(gpa), slab, SLAB_SIZE, BLOCK_ALIGN);
}

function largeFree(gpa: usize, entry: usize): void {
  const ptr = entryKey(entry);
  const len = entryLen(entry);
  if (isSafe(gpa)) entrySet(entry, len, EntryKind.GIVEN_BACK_LARGE, entryDetail(entry));
  else dirRemove(directoryOf(gpa), entry);
  backingFree(gpa, backingOf(gpa), ptr, len, BLOCK_ALIGN);
}

/**
 * Resizes [ptr, ptr + len) to `newLen` (both 1 or more) in place: OK when a slot's new length
 * stays in its size class, or a large block's stays large and the backing allocator can resize
 * it; OUT_OF_MEMORY otherwise, or over the limit. With safety, misuse as for gpaFree.
 */
export function gpaResize(gpa: usize, ptr: usize, len: usize, newLen: usize, align: usize, _caller: usize): Status {
  const safe = isSafe(gpa);
  if (safe) {
    const status = checkLive(gpa, ptr, len, align);
    if (status != Status.OK) return status;
  }
  const large = largeEntry(gpa, ptr);
  if (large == 0 && (len > MAX_SMALL || (!safe && !couldBeSlot(ptr)))) return fail(Status.INVALID_FREE, ptr);
  const slab = slabOf(ptr);
  // Views do not remember their alignment; the GPA does, for large blocks always, else with safety.
  const known = align != 0 ? align
    : large != 0 ? <usize>1 << entryDetail(large)
    : safe ? metaAlign(load<u32>(metaAt(slab, slotIndex(slab, ptr)))) : 1;
  const c = classFor(newLen, known);
  if (large != 0 ? c < CLASS_COUNT : c != slabClass(slab)) return Status.OUT_OF_MEMORY;
  if (newLen > len && !fits(gpa, newLen - len)) return Status.OUT_OF_MEMORY;
  if (large != 0) {
    const status = backingResize(gpa, backingOf(gpa), ptr, entryLen(large), newLen, BLOCK_ALIGN);
    if (status != Status.OK) return status == Status.DEINITIALIZED ? status : Status.OUT_OF_MEMORY;
    entrySet(large, newLen, EntryKind.LARGE, entryDetail(large));
  } else if (safe) {
    store<u32>(metaAt(slab, slotIndex(slab, ptr)), metaInUse(newLen, known));
  }
  if (safe && newLen > len) memory.fill(ptr + len, FILL, newLen - len);
  if (safe && newLen < len) {
    // A large block shrunk in place kept only the pages that hold newLen; the rest went back.
    const kept = large != 0 ? min(len, alignForward(newLen, BLOCK_ALIGN)) : len;
    memory.fill(ptr + newLen, FILL, kept - newLen);
  }
  store<u32>(gpa + REQUESTED, requestedOf(gpa) + newLen - len);
  return Status.OK;
}

/**
 * With safety: OK if `ptr` is a live allocation of this GPA of `len` bytes at `align` (0: any),
 * else the misuse, recorded with fail(). Reads only.
 */
function checkLive(gpa: usize, ptr: usize, len: usize, align: usize): Status {
  const block = slabOf(ptr);
  const entry = dirFind(directoryOf(gpa), block);
  if (entry == 0) return fail(Status.INVALID_FREE, ptr);
  const offset = ptr - block;
  switch (entryKind(entry)) {
    case EntryKind.LARGE: {
      if (offset != 0) break;
      return checkShape(ptr, len, align, entryLen(entry), <usize>1 << entryDetail(entry));
    }
    case EntryKind.SLAB: {
      const size = slabSize(block);
      if (offset % size != 0 || <u32>(offset / size) >= slabCapacity(block)) break;
      const meta = load<u32>(metaAt(block, <u32>(offset / size)));
      if (!metaIsUsed(meta)) return fail(ptr < slabBump(block) ? Status.DOUBLE_FREE : Status.INVALID_FREE, ptr);
      return checkShape(ptr, len, align, metaLen(meta), metaAlign(meta));
    }
    case EntryKind.GIVEN_BACK_LARGE: {
      if (offset == 0) return fail(Status.DOUBLE_FREE, ptr);
      break;
    }
    case EntryKind.GIVEN_BACK_SLAB: {
      const size = classSize(entryDetail(entry));
      if (offset % size == 0 && offset < entryLen(entry)) return fail(Status.DOUBLE_FREE, ptr);
      break;
    }
  }
  return fail(Status.INVALID_FREE, ptr);
}

// @ts-ignore: decorator
@inline function checkShape(ptr: usize, len: usize, align: usize, liveLen: usize, liveAlign: usize): Status {
  if (len != liveLen) return fail(Status.LENGTH_MISMATCH, ptr);
  if (align != 0 && align != liveAlign) return fail(Status.ALIGN_MISMATCH, ptr);
  return Status.OK;
}

/** The first slab of class `c`'s ring, or 0. */
export function firstSlab(gpa: usize, c: u32): usize {
  return load<u32>(headOf(gpa, c));
}
