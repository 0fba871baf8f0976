// Looking into a GPA from outside the hot path: its live allocations (for leak reports), its
// statistics, and validate(). Each walks every slab of every class, so each costs time in
// proportion to the memory the GPA holds; none is needed by alloc or free.
//
// Which slots of a slab are live is found the same way with and without safety: the slots
// handed out (below `bump`) that are not on the free list. The free list is marked in a static
// bitmap, one bit per slot; validate() also proves the list stays inside its slab, on slot
// boundaries, without repeats.

import { Status, fail } from "./status";
import { SLAB_MASK, SLAB_SIZE, CLASS_COUNT, classFor, classSize, capacityFor, slabNext, slabUsed, slabBump,
  slabFreeHead, slabSize, slabCapacity, slabClass, slabIsSafe, slabIsFull, linkAt, metaAt, metaIsUsed,
  metaLen, metaAlign, metaAlignLog2, ringLinked } from "./gpa-slab";
import { Block, dirFind, dirCapacity, dirUsed, dirBytes, dirReaches, entryAt, entryKey, entryLen, entryKind,
  entryDetail } from "./gpa-directory";
import { isSafe, directoryOf, spareOf, firstSlab, gpaRequested } from "./gpa";

/** One bit per slot of a slab: at least HEADER_AT / 8 bits, the most slots a slab holds. */
const MARK_BITS: u32 = 8192;
const marks: usize = memory.data(MARK_BITS >> 3, 4);

/** A leak record written by gpaLeaks: three u32s. */
const LEAK_PTR: usize = 0;
const LEAK_LEN: usize = 4;
const LEAK_ALIGN: usize = 8;
const LEAK_SIZE: usize = 12;

/** The largest log2 alignment an allocation may have (MAX_ALIGN). */
const MAX_ALIGN_LOG2: u32 = 16;

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
    if (isMarked(index)) return -1;
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

/** How many slots of `slab` have been handed out at least once. */
// @ts-ignore: decorator
@inline function handedOut(slab: usize): u32 {
  return <u32>((slabBump(slab) - slab) / slabSize(slab));
}

/** Live allocations: slots in use and large blocks. */
export function gpaLiveCount(gpa: usize): u32 {
  let count: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    const first = firstSlab(gpa, c);
    if (first == 0) continue;
    let slab = first;
    do {
      count += slabUsed(slab);
      slab = slabNext(slab);
    } while (slab != first);
  }
  const dir = directoryOf(gpa);
  for (let i: u32 = 0; i < dirCapacity(dir); i++) {
    const entry = entryAt(dir, i);
    if (entryKey(entry) != 0 && entryKind(entry) == Block.LARGE) count++;
  }
  return count;
}

/**
 * Writes the first `capacity` live allocations to `out` as (ptr, len, align) u32 triples and
 * returns how many there are. Without safety a slot's exact length and alignment are not
 * recorded: it reports the slot's size and the alignment every slot of its class has.
 */
export function gpaLeaks(gpa: usize, out: usize, capacity: u32): u32 {
  const safe = isSafe(gpa);
  let count: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    const first = firstSlab(gpa, c);
    if (first == 0) continue;
    let slab = first;
    do {
      markFreeSlots(slab);
      const size = slabSize(slab);
      const slots = handedOut(slab);
      for (let i: u32 = 0; i < slots; i++) {
        if (isMarked(i)) continue;
        if (count < capacity) {
          const at = out + <usize>count * LEAK_SIZE;
          const slot = slab + <usize>i * size;
          if (safe) writeLeak(at, slot, metaLen(load<u32>(metaAt(slab, i))), metaAlign(load<u32>(metaAt(slab, i))));
          else writeLeak(at, slot, size, size & -size);
        }
        count++;
      }
      slab = slabNext(slab);
    } while (slab != first);
  }
  const dir = directoryOf(gpa);
  for (let i: u32 = 0; i < dirCapacity(dir); i++) {
    const entry = entryAt(dir, i);
    if (entryKey(entry) == 0 || entryKind(entry) != Block.LARGE) continue;
    if (count < capacity) {
      writeLeak(out + <usize>count * LEAK_SIZE, entryKey(entry), entryLen(entry), <usize>1 << entryDetail(entry));
    }
    count++;
  }
  return count;
}

// @ts-ignore: decorator
@inline function writeLeak(at: usize, ptr: usize, len: usize, align: usize): void {
  store<u32>(at + LEAK_PTR, ptr);
  store<u32>(at + LEAK_LEN, len);
  store<u32>(at + LEAK_ALIGN, align);
}

/**
 * The counters gpaStats fills, u32 each; bindings/exports.ts mirrors this table. Then one row per
 * size class (CLASS_COUNT of them) from CLASSES on: its slot size, its slabs (pages), its live slots.
 */
export const enum GpaStat {
  REQUESTED = 0, LIVE = 4, SLABS = 8, SPARE = 12, LARGE_COUNT = 16, LARGE_BYTES = 20, DIRECTORY_BYTES = 24,
  CLASS_COUNT = 28, CLASSES = 32, CLASS_SIZE = 0, CLASS_SLABS = 4, CLASS_LIVE = 8, CLASS_STRIDE = 12,
}
const statsBlock: usize = memory.data(<i32>(GpaStat.CLASSES + CLASS_COUNT * GpaStat.CLASS_STRIDE), 4);

/** Fills the statistics block (see GpaStat) for `gpa` and returns its address. */
export function gpaStats(gpa: usize): usize {
  let live: u32 = 0;
  let slabs: u32 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    let classSlabs: u32 = 0;
    let classLive: u32 = 0;
    const first = firstSlab(gpa, c);
    if (first != 0) {
      let slab = first;
      do {
        classSlabs++;
        classLive += slabUsed(slab);
        slab = slabNext(slab);
      } while (slab != first);
    }
    const row = statsBlock + GpaStat.CLASSES + <usize>c * GpaStat.CLASS_STRIDE;
    store<u32>(row + GpaStat.CLASS_SIZE, classSize(c));
    store<u32>(row + GpaStat.CLASS_SLABS, classSlabs);
    store<u32>(row + GpaStat.CLASS_LIVE, classLive);
    slabs += classSlabs;
    live += classLive;
  }
  let largeCount: u32 = 0;
  let largeBytes: usize = 0;
  const dir = directoryOf(gpa);
  for (let i: u32 = 0; i < dirCapacity(dir); i++) {
    const entry = entryAt(dir, i);
    if (entryKey(entry) == 0 || entryKind(entry) != Block.LARGE) continue;
    largeCount++;
    largeBytes += entryLen(entry);
  }
  store<u32>(statsBlock + GpaStat.REQUESTED, gpaRequested(gpa));
  store<u32>(statsBlock + GpaStat.LIVE, live + largeCount);
  store<u32>(statsBlock + GpaStat.SLABS, slabs);
  store<u32>(statsBlock + GpaStat.SPARE, spareOf(gpa) != 0 ? 1 : 0);
  store<u32>(statsBlock + GpaStat.LARGE_COUNT, largeCount);
  store<u32>(statsBlock + GpaStat.LARGE_BYTES, largeBytes);
  store<u32>(statsBlock + GpaStat.DIRECTORY_BYTES, dirBytes(dir));
  store<u32>(statsBlock + GpaStat.CLASS_COUNT, CLASS_COUNT);
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
  return (entry != 0 && entryKind(entry) == Block.SLAB) == isSafe(gpa);
}

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
    || slabBump(slab) < slab || (slabBump(slab) - slab) % size != 0 || handedOut(slab) > capacity) return -1;
  const free = markFreeSlots(slab);
  if (free < 0 || <u32>free + slabUsed(slab) != handedOut(slab)) return -1;
  let requested: i64 = 0;
  if (!safe) return requested;
  for (let i: u32 = 0; i < capacity; i++) {
    const meta = load<u32>(metaAt(slab, i));
    if (i < handedOut(slab) && !isMarked(i)) {
      if (!metaIsUsed(meta) || metaLen(meta) == 0 || metaAlignLog2(meta) > MAX_ALIGN_LOG2
        || classFor(metaLen(meta), metaAlign(meta)) != cls) return -1;
      requested += metaLen(meta);
    } else if (metaIsUsed(meta)) {
      return -1;
    }
  }
  return requested;
}

/** Checks every slab, every ring, the spare, the directory and the requested-bytes count. */
export function gpaValidate(gpa: usize): Status {
  const safe = isSafe(gpa);
  const budget = <u32>memory.size();
  let slabs: u32 = 0;
  let live: u64 = 0;
  let smallBytes: i64 = 0;
  let slotBytes: u64 = 0;
  for (let c: u32 = 0; c < CLASS_COUNT; c++) {
    const first = firstSlab(gpa, c);
    if (first == 0) continue;
    let slab = first;
    let seenFull = false;
    do {
      if (++slabs > budget || !isBlock(slab) || !ringLinked(slab) || slabUsed(slab) == 0
        || (seenFull && !slabIsFull(slab))) return fail(Status.CORRUPTION, slab);
      seenFull = seenFull || slabIsFull(slab);
      const requested = validateSlab(gpa, slab, c);
      if (requested < 0) return fail(Status.CORRUPTION, slab);
      smallBytes += requested;
      live += slabUsed(slab);
      slotBytes += <u64>slabUsed(slab) * <u64>slabSize(slab);
      slab = slabNext(slab);
    } while (slab != first);
  }
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
  for (let i: u32 = 0; i < dirCapacity(dir); i++) {
    const entry = entryAt(dir, i);
    const key = entryKey(entry);
    if (key == 0) continue;
    entries++;
    const kind = entryKind(entry);
    const given = kind == Block.GIVEN_BACK_LARGE || kind == Block.GIVEN_BACK_SLAB;
    if ((key & SLAB_MASK) != 0 || !dirReaches(dir, entry) || kind < Block.LARGE || kind > Block.GIVEN_BACK_SLAB
      || (given && !safe)) return fail(Status.CORRUPTION, entry);
    if (kind == Block.SLAB) listedSlabs++;
    if (kind == Block.LARGE) {
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
