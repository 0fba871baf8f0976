// Looking into a GPA from outside the hot path: its live allocations (for leak reports), its
// statistics, and validate(). Each walks every slab of every class, so each costs time in
// proportion to the memory the GPA holds; none is needed by alloc or free.
//
// Which slots of a slab are live is found the same way with and without safety: the slots
// handed out (below `bump`) that are not on the free list, less (with safety) those the
// quarantine holds, whose meta word says held. The free list is marked in a static
// bitmap, one bit per slot; validate() also proves the list stays inside its slab, on slot
// boundaries, without repeats.

import { Status, fail } from "../status";
import { MAX_ALIGN } from "../memory";
import { SLAB_MASK, SLAB_SIZE, HEADER_AT, CLASS_COUNT, classFor, classSize, capacityFor, slabUsed, slabBump,
  slabFreeHead, slabSize, slabCapacity, slabClass, slabIsSafe, slabIsFull, linkAt, metaAt, metaIsUsed,
  metaLen, metaAlign, metaAlignLog2, ringLinked, ringAfter, log2, slabOf, isHeldSlot, slabHandedOut, META_HELD } from "./slab";
import { EntryKind, dirFind, dirCapacity, dirUsed, dirBytes, dirReaches, dirNext, entryKey, entryLen, entryKind,
  entryDetail } from "./directory";
import { isSafe, directoryOf, headOf, spareOf, firstSlab, gpaRequested, backingOf, quarantineOf } from "./gpa";
import { QUARANTINE_SLOTS, quarantineCount, quarantineSlot } from "./quarantine";
import { pageIsReference } from "../page";

/** One bit per slot of a slab: as many as the smallest class puts in a slab without meta. */
const MARK_BITS: u32 = 8192;
if (<usize>MARK_BITS < HEADER_AT / 8) ERROR("the mark bits must cover the slots of the fullest slab");
const marks: usize = memory.data(MARK_BITS >> 3, 4);

/** A leak record written by gpaLeaks: u32 words (exported: JavaScript reads them). */
export enum LeakField { PTR, LEN, ALIGN, COUNT }

/** The largest log2 alignment an allocation may have. */
const MAX_ALIGN_LOG2: u32 = log2(MAX_ALIGN);

/**
 * Marks the slots on `slab`'s free list; returns how many there are, or -1 if the list leaves the
 * slots handed out, misses a slot boundary or repeats a slot.
 */
function markFreeSlots(slab: usize): i32 {
  const capacity = slabCapacity(slab);
  const size = slabSize(slab);
  const bump = slabBump(slab);
  if (capacity > MARK_BITS || size == 0) return -1;
  memory.fill(marks, 0, (<usize>capacity + 7) >> 3);
  let count = 0;
  for (let slot = slabFreeHead(slab); slot != 0; slot = load<u32>(linkAt(slab, slot))) {
    if (slot < slab || slot >= bump || (slot - slab) % size != 0) return -1;
    const index = <u32>((slot - slab) / size);
    if (index >= capacity || isMarked(index)) return -1;
    const byte = marks + (index >> 3);
    store<u8>(byte, <u8>(<u32>load<u8>(byte) | (1 << (index & 7))));
    count++;
  }
  return count;
}

// @ts-ignore: decorator
@inline function isMarked(index: u32): bool {
  return (<u32>load<u8>(marks + (index >> 3)) & (1 << (index & 7))) != 0;
}

/** More slabs than memory has pages: a ring walk that long is a cycle in damaged metadata. */
// @ts-ignore: decorator
@inline function slabBudget(): u32 { return <u32>memory.size(); }

/** The large allocation after `entry` in the directory (0: from the start); 0 after the last. */
function nextLarge(dir: usize, entry: usize): usize {
  do entry = dirNext(dir, entry); while (entry != 0 && entryKind(entry) != EntryKind.LARGE);
  return entry;
}

/** Live allocations: slots in use and large blocks. */
export function gpaLiveCount(gpa: usize): u32 {
  let count: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    for (let slab = firstSlab(gpa, c), walk = slabBudget(); slab != 0 && walk-- != 0; slab = ringAfter(headOf(gpa, c), slab)) count += slabUsed(slab);
  }
  count -= quarantineCount(quarantineOf(gpa));
  const dir = directoryOf(gpa);
  for (let entry = nextLarge(dir, 0); entry != 0; entry = nextLarge(dir, entry)) count++;
  return count;
}

/** Leak records one gpaLeaks call writes at most, into leakBatch (exported). */
export const LEAK_BATCH: u32 = 128;
const leakBatch: usize = memory.data(<i32>(LEAK_BATCH * LeakField.COUNT) << 2, 4);

/** The address of the static area gpaLeaks writes to: listing leaks never allocates. */
export function leakBatchAddress(): usize { return leakBatch; }

/**
 * Writes live allocations number `skip` to `skip + LEAK_BATCH - 1`, in walk order, to leakBatch
 * as LeakField records, and returns how many live allocations there are in all. Without safety
 * a slot's exact length and alignment are not recorded: it reports the slot's size and the
 * alignment every slot of its class has.
 */
export function gpaLeaks(gpa: usize, skip: u32): u32 {
  const safe = isSafe(gpa);
  let count: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    for (let slab = firstSlab(gpa, c), walk = slabBudget(); slab != 0 && walk-- != 0; slab = ringAfter(headOf(gpa, c), slab)) {
      markFreeSlots(slab);
      const size = slabSize(slab);
      const slots = slabHandedOut(slab);
      for (let i: u32 = 0; i < slots; i++) {
        if (isMarked(i) || (safe && !metaIsUsed(load<u32>(metaAt(slab, i))))) continue;
        if (count - skip < LEAK_BATCH) {
          const slot = slab + <usize>i * size;
          const meta = load<u32>(metaAt(slab, i));
          if (safe) writeLeak(count - skip, slot, metaLen(meta), metaAlign(meta));
          else writeLeak(count - skip, slot, size, size & -size);
        }
        count++;
      }
    }
  }
  const dir = directoryOf(gpa);
  for (let entry = nextLarge(dir, 0); entry != 0; entry = nextLarge(dir, entry)) {
    if (count - skip < LEAK_BATCH) writeLeak(count - skip, entryKey(entry), entryLen(entry), <usize>1 << entryDetail(entry));
    count++;
  }
  return count;
}

// @ts-ignore: decorator
@inline function writeLeak(index: u32, ptr: usize, len: usize, align: usize): void {
  const at = leakBatch + ((<usize>index * LeakField.COUNT) << 2);
  store<u32>(at + (LeakField.PTR << 2), ptr);
  store<u32>(at + (LeakField.LEN << 2), len);
  store<u32>(at + (LeakField.ALIGN << 2), align);
}

/** The totals gpaStats writes, u32 words (exported: JavaScript reads them). */
export enum GpaStat { REQUESTED, LIVE, SLABS, SPARE, LARGE_COUNT, LARGE_BYTES, DIRECTORY_BYTES, CLASS_COUNT, COUNT }
/** After the totals, one row of u32 words per size class (exported too). */
export enum GpaClassStat { SIZE, SLABS, LIVE, COUNT }
const STATS_WORDS: i32 = GpaStat.COUNT + CLASS_COUNT * GpaClassStat.COUNT;
const statsBlock: usize = memory.data(STATS_WORDS << 2, 4);

// @ts-ignore: decorator
@inline function setStat(word: usize, value: usize): void { store<u32>(statsBlock + (word << 2), value); }

/** Fills the statistics block (GpaStat, then a GpaClassStat row per class) for `gpa`; its address. */
export function gpaStats(gpa: usize): usize {
  let live: u32 = 0;
  let slabs: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    let classSlabs: u32 = 0;
    let classLive: u32 = 0;
    for (let slab = firstSlab(gpa, c), walk = slabBudget(); slab != 0 && walk-- != 0; slab = ringAfter(headOf(gpa, c), slab)) {
      classSlabs++;
      classLive += slabUsed(slab);
    }
    const row = <usize>GpaStat.COUNT + <usize>c * <usize>GpaClassStat.COUNT;
    setStat(row + GpaClassStat.SIZE, classSize(c));
    setStat(row + GpaClassStat.SLABS, classSlabs);
    setStat(row + GpaClassStat.LIVE, classLive);
    slabs += classSlabs;
    live += classLive;
  }
  // Held slots are counted as used by their slabs, but are free to the GPA's user.
  const quarantine = quarantineOf(gpa);
  for (let i: u32 = 0; i < min(quarantineCount(quarantine), QUARANTINE_SLOTS); i++) {
    const word = <usize>GpaStat.COUNT + <usize>slabClass(slabOf(quarantineSlot(quarantine, i))) * <usize>GpaClassStat.COUNT
      + <usize>GpaClassStat.LIVE;
    store<u32>(statsBlock + (word << 2), load<u32>(statsBlock + (word << 2)) - 1);
    live--;
  }
  let largeCount: u32 = 0;
  let largeBytes: usize = 0;
  const dir = directoryOf(gpa);
  for (let entry = nextLarge(dir, 0); entry != 0; entry = nextLarge(dir, entry)) {
    largeCount++;
    largeBytes += entryLen(entry);
  }
  setStat(GpaStat.REQUESTED, gpaRequested(gpa));
  setStat(GpaStat.LIVE, live + largeCount);
  setStat(GpaStat.SLABS, slabs);
  setStat(GpaStat.SPARE, spareOf(gpa) != 0 ? 1 : 0);
  setStat(GpaStat.LARGE_COUNT, largeCount);
  setStat(GpaStat.LARGE_BYTES, largeBytes);
  setStat(GpaStat.DIRECTORY_BYTES, dirBytes(dir));
  setStat(GpaStat.CLASS_COUNT, CLASS_COUNT);
  return statsBlock;
}

/** Whether `block` could be a 64 KiB block of linear memory. */
// @ts-ignore: decorator
@inline function isBlock(block: usize): bool {
  return block != 0 && (block & SLAB_MASK) == 0 && <u64>block + <u64>SLAB_SIZE <= (<u64>memory.size() << 16);
}

/** Whether the directory lists `slab` as a slab, as it must with safety (and must not without). */
// @ts-ignore: decorator
@inline function listedAsSlab(gpa: usize, slab: usize): bool {
  const entry = dirFind(directoryOf(gpa), slab);
  return (entry != 0 && entryKind(entry) == EntryKind.SLAB) == isSafe(gpa);
}

/** Slots the last validateSlab found held by the quarantine: handed out, on no free list, meta free. */
let slabHeld: u32 = 0;

/**
 * Checks one slab of class `c` (CLASS_COUNT: the spare, of any class): its header against its
 * class, its free list, and with safety its meta against the free list. Returns the bytes its
 * live slots requested (with safety) or -1 if broken.
 */
function validateSlab(gpa: usize, slab: usize, c: u32): i64 {
  const safe = isSafe(gpa);
  const cls = slabClass(slab);
  if (!isBlock(slab) || !listedAsSlab(gpa, slab) || slabIsSafe(slab) != safe || cls >= CLASS_COUNT
    || (c != CLASS_COUNT && cls != c)) return -1;
  const size = slabSize(slab);
  const capacity = slabCapacity(slab);
  if (size != classSize(cls) || capacity != capacityFor(size, safe) || slabUsed(slab) > capacity
    || slabBump(slab) < slab || (slabBump(slab) - slab) % size != 0 || (slabBump(slab) - slab) / size > capacity) return -1;
  const free = markFreeSlots(slab);
  if (free < 0 || <u32>free + slabUsed(slab) != slabHandedOut(slab)) return -1;
  let requested: i64 = 0;
  slabHeld = 0;
  if (!safe) return requested;
  for (let i: u32 = 0; i < capacity; i++) {
    const meta = load<u32>(metaAt(slab, i));
    if (i < slabHandedOut(slab) && !isMarked(i)) {
      if (meta == META_HELD) {
        slabHeld++;
        continue;
      }
      if (!metaIsUsed(meta) || metaLen(meta) == 0 || metaAlignLog2(meta) > MAX_ALIGN_LOG2
        || classFor(metaLen(meta), metaAlign(meta)) != cls) return -1;
      requested += metaLen(meta);
    } else if (metaIsUsed(meta)) {
      return -1;
    }
  }
  return requested;
}

/** Whether every slot the quarantine holds is a slot of one of this GPA's slabs, its meta free. */
function quarantineValid(gpa: usize): bool {
  const quarantine = quarantineOf(gpa);
  for (let i: u32 = 0; i < min(quarantineCount(quarantine), QUARANTINE_SLOTS); i++) {
    const slot = quarantineSlot(quarantine, i);
    const slab = slabOf(slot);
    if (!isBlock(slab) || !listedAsSlab(gpa, slab) || !isHeldSlot(slot)) {
      return false;
    }
  }
  return true;
}

/** Checks every slab, every ring, the spare, the directory and the requested-bytes count. */
export function gpaValidate(gpa: usize): Status {
  if (!pageIsReference(backingOf(gpa))) return fail(Status.CORRUPTION, gpa);
  const safe = isSafe(gpa);
  const budget = <u32>memory.size();
  let slabs: u32 = 0;
  let live: u64 = 0;
  let smallBytes: i64 = 0;
  let slotBytes: u64 = 0;
  let held: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    let seenFull = false;
    for (let slab = firstSlab(gpa, c), walk = slabBudget(); slab != 0 && walk-- != 0; slab = ringAfter(headOf(gpa, c), slab)) {
      if (++slabs > budget || !isBlock(slab) || !ringLinked(slab) || slabUsed(slab) == 0
        || (seenFull && !slabIsFull(slab))) return fail(Status.CORRUPTION, slab);
      seenFull = seenFull || slabIsFull(slab);
      const requested = validateSlab(gpa, slab, c);
      if (requested < 0) return fail(Status.CORRUPTION, slab);
      smallBytes += requested;
      held += slabHeld;
      live += slabUsed(slab) - slabHeld;
      slotBytes += <u64>(slabUsed(slab) - slabHeld) * <u64>slabSize(slab);
    }
  }
  if (held != quarantineCount(quarantineOf(gpa)) || held > QUARANTINE_SLOTS || !quarantineValid(gpa)) return fail(Status.CORRUPTION, quarantineOf(gpa));
  const spare = spareOf(gpa);
  if (spare != 0) {
    if (!isBlock(spare) || slabUsed(spare) != 0 || validateSlab(gpa, spare, CLASS_COUNT) < 0) {
      return fail(Status.CORRUPTION, spare);
    }
    slabs++;
  }
  const dir = directoryOf(gpa);
  let entries: u32 = 0;
  let listedSlabs: u32 = 0;
  let largeBytes: u64 = 0;
  for (let entry = dirNext(dir, 0); entry != 0; entry = dirNext(dir, entry)) {
    const key = entryKey(entry);
    entries++;
    const kind = entryKind(entry);
    const given = kind == EntryKind.GIVEN_BACK_LARGE || kind == EntryKind.GIVEN_BACK_SLAB;
    if ((key & SLAB_MASK) != 0 || !dirReaches(dir, entry) || kind < EntryKind.LARGE || kind > EntryKind.GIVEN_BACK_SLAB
      || (given && !safe)) return fail(Status.CORRUPTION, entry);
    if (kind == EntryKind.SLAB) listedSlabs++;
    if (kind == EntryKind.LARGE) {
      if (entryLen(entry) == 0 || entryDetail(entry) > MAX_ALIGN_LOG2) return fail(Status.CORRUPTION, entry);
      largeBytes += entryLen(entry);
    }
  }
  const requested = <u64>gpaRequested(gpa);
  if (entries != dirUsed(dir) || dirUsed(dir) * 2 > dirCapacity(dir) || listedSlabs != (safe ? slabs : 0)
    || requested < largeBytes + live || requested > largeBytes + slotBytes
    || (safe && requested != largeBytes + <u64>smallBytes)) {
    return fail(Status.CORRUPTION, gpa);
  }
  return Status.OK;
}
