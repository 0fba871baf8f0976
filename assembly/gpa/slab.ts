// The GPA's small allocations: size classes, and slabs that hold the slots of one class.
//
// Size classes. A request of `len` bytes at alignment `align` is served from the smallest class of
// at least alignForward(len, align) bytes: eight classes 8 bytes apart up to 64, then four per
// doubling up to MAX_SMALL. Anything bigger, or more aligned, is a large allocation.
//
//   class   0   1   2  …   7   8   9  10  11  12  13 …  39     40     41     42
//   size    8  16  24  …  64  80  96 112 128 160 192 …  16384  20480  24576  28672
//
// A class of size s lays its slots s bytes apart from a 64 KiB-aligned page, so each slot is
// aligned to the lowest set bit of s; rounding the length up to a multiple of `align` first
// always lands on a class at least that aligned.
//
// A slab is one 64 KiB page from the backing allocator, aligned to 64 KiB, so `ptr & ~SLAB_MASK`
// finds the slab of any slot with no per-allocation header:
//
//   slab ┌────────┬────────┬───┬──────────┬──────┬───────────────────────────┬────────┐
//        │ slot 0 │ slot 1 │ … │ slot n-1 │ gap  │ meta[0 .. n) (safety only)│ header │
//        └────────┴────────┴───┴──────────┴──────┴───────────────────────────┴────────┘
//         +0       +size                          HEADER_AT - 4n              HEADER_AT
//
//   header ┌──────┬──────┬──────┬──────┬──────┬──────┬──────────┬──────┐
//          │ next │ prev │ free │ used │ bump │ size │ capacity │ info │
//          └──────┴──────┴──────┴──────┴──────┴──────┴──────────┴──────┘
//           +0     +4     +8     +12    +16    +20    +24        +28
//
// `next` and `prev` ring the slabs of one class, non-full ones first (see gpa.ts). Slots below
// `bump` have been handed out at least once; free ones among them form a LIFO list from `free`,
// each holding the address of the next (0 ends it). Slots from `bump` on were never used, so a
// fresh slab needs no threading. `info` is the class, plus SAFE_SLAB when the slab carries meta.
//
// With safety, meta[i] describes slot i, and the free-list link lives there instead of in the
// slot, so freed memory stays filled with 0xAA:
//
//   meta, slot in use  ┌────────────────┬──────────────┬───┐
//                      │ len  (bits 8+) │ log2 align   │ 1 │
//                      └────────────────┴──────────────┴───┘
//   meta, slot free    the address of the next free slot, or 0 (slots are 8-aligned: bit 0 is 0)
//   meta, slot held    META_HELD: freed, waiting in the quarantine (quarantine.ts), on no list

import { PAGE_SIZE } from "../memory";

export const SLAB_SIZE: usize = PAGE_SIZE;
export const SLAB_MASK: usize = SLAB_SIZE - 1;
@unmanaged class SlabHeader {
  next: usize;
  prev: usize;
  free: usize;
  used: u32;
  bump: usize;
  size: usize;
  capacity: u32;
  info: u32;
}
const HEADER_SIZE: usize = offsetof<SlabHeader>();
/** Where the header starts in its slab; slots and meta fit below it. */
export const HEADER_AT: usize = SLAB_SIZE - HEADER_SIZE;

const NEXT: usize = HEADER_AT + offsetof<SlabHeader>("next");
const PREV: usize = HEADER_AT + offsetof<SlabHeader>("prev");
const FREE: usize = HEADER_AT + offsetof<SlabHeader>("free");
const USED: usize = HEADER_AT + offsetof<SlabHeader>("used");
const BUMP: usize = HEADER_AT + offsetof<SlabHeader>("bump");
const SIZE: usize = HEADER_AT + offsetof<SlabHeader>("size");
const CAPACITY: usize = HEADER_AT + offsetof<SlabHeader>("capacity");
const INFO: usize = HEADER_AT + offsetof<SlabHeader>("info");

const SAFE_SLAB: u32 = 0x100;
const CLASS_MASK: u32 = 0xFF;

const META_SIZE: usize = 4;
const META_USED: u32 = 1;
/** The meta word of a slot the quarantine holds: not in use, and no 8-aligned link. */
export const META_HELD: u32 = 2;
const META_ALIGN_SHIFT: u32 = 1;
const META_ALIGN_MASK: u32 = 0x7F;
const META_LEN_SHIFT: u32 = 8;

const LINEAR_STEP: usize = 8;
const LINEAR_CLASSES: u32 = 8;
const LINEAR_MAX: usize = LINEAR_STEP * LINEAR_CLASSES;
/** log2 of LINEAR_MAX: the first doubling with four classes starts there. */
const GEOMETRIC_FIRST: u32 = 6;
const STEPS_LOG2: u32 = 2;
const STEPS: u32 = 1 << STEPS_LOG2;
/** The last doubling that has classes, and how many of its steps do. */
const GEOMETRIC_LAST: u32 = 14;
const LAST_STEPS: u32 = 3;

/** The largest small allocation; longer or more aligned requests get pages of their own. */
export const MAX_SMALL: usize = (<usize>1 << GEOMETRIC_LAST) + (<usize>LAST_STEPS << (GEOMETRIC_LAST - STEPS_LOG2));
export const CLASS_COUNT: u32 = LINEAR_CLASSES + (GEOMETRIC_LAST - GEOMETRIC_FIRST) * STEPS + LAST_STEPS;
if (LINEAR_MAX != <usize>1 << GEOMETRIC_FIRST) ERROR("the linear classes must end where the first doubling starts");
if (CLASS_COUNT > CLASS_MASK + 1) ERROR("a slab's info byte cannot name every class");
if (HEADER_AT / (MAX_SMALL + META_SIZE) == 0) ERROR("a slab must hold at least one slot of the largest class");

/** log2 of `n`, rounded down; `n` >= 1. */
// @ts-ignore: decorator
@inline export function log2(n: usize): u32 { return 31 - clz<u32>(<u32>n); }

/** The class of `n` bytes, 1 <= n <= MAX_SMALL. */
// @ts-ignore: decorator
@inline function classOfSize(n: usize): u32 {
  if (n <= LINEAR_MAX) return <u32>((n + LINEAR_STEP - 1) / LINEAR_STEP) - 1;
  const k = log2(n - 1); // 2^k < n <= 2^(k+1)
  return LINEAR_CLASSES + ((k - GEOMETRIC_FIRST) << STEPS_LOG2) + ((<u32>n - 1 - (1 << k)) >> (k - STEPS_LOG2));
}

/** The slot size of class `c`. */
export function classSize(c: u32): usize {
  if (c < LINEAR_CLASSES) return (<usize>c + 1) * LINEAR_STEP;
  const k = GEOMETRIC_FIRST + ((c - LINEAR_CLASSES) >> STEPS_LOG2);
  const step = (c - LINEAR_CLASSES) & ((1 << STEPS_LOG2) - 1);
  return (<usize>1 << k) + ((<usize>step + 1) << (k - STEPS_LOG2));
}

// Checked at start-up in debug builds: the class table ends exactly at MAX_SMALL.
assert(classSize(CLASS_COUNT - 1) == MAX_SMALL && classSize(CLASS_COUNT - 2) < MAX_SMALL, "size classes end off MAX_SMALL");

/** The class serving `len` bytes at `align`, or CLASS_COUNT when that is a large allocation. */
// @ts-ignore: decorator
@inline export function classFor(len: usize, align: usize): u32 {
  if (len > MAX_SMALL) return CLASS_COUNT;
  const n = (len + align - 1) & ~(align - 1);
  return n > MAX_SMALL ? CLASS_COUNT : classOfSize(n);
}

// @ts-ignore: decorator
@inline export function slabNext(slab: usize): usize { return load<u32>(slab + NEXT); }
// @ts-ignore: decorator
@inline export function slabUsed(slab: usize): u32 { return load<u32>(slab + USED); }
// @ts-ignore: decorator
@inline export function slabBump(slab: usize): usize { return load<u32>(slab + BUMP); }
// @ts-ignore: decorator
@inline export function slabFreeHead(slab: usize): usize { return load<u32>(slab + FREE); }
// @ts-ignore: decorator
@inline export function slabSize(slab: usize): usize { return load<u32>(slab + SIZE); }
// @ts-ignore: decorator
@inline export function slabCapacity(slab: usize): u32 { return load<u32>(slab + CAPACITY); }
// @ts-ignore: decorator
@inline export function slabClass(slab: usize): u32 { return load<u32>(slab + INFO) & CLASS_MASK; }
// @ts-ignore: decorator
@inline export function slabIsSafe(slab: usize): bool { return (load<u32>(slab + INFO) & SAFE_SLAB) != 0; }
// @ts-ignore: decorator
@inline export function slabIsFull(slab: usize): bool { return slabUsed(slab) == slabCapacity(slab); }
// @ts-ignore: decorator
@inline export function slabOf(ptr: usize): usize { return ptr & ~SLAB_MASK; }

/** Slots a slab of `size`-byte slots holds, with or without meta. */
export function capacityFor(size: usize, safe: bool): u32 {
  return <u32>(HEADER_AT / (size + (safe ? META_SIZE : 0)));
}

/** Makes `slab` an empty slab of class `c`. */
export function slabFormat(slab: usize, c: u32, safe: bool): void {
  const size = classSize(c);
  const capacity = capacityFor(size, safe);
  store<u32>(slab + FREE, 0);
  store<u32>(slab + USED, 0);
  store<u32>(slab + BUMP, slab);
  store<u32>(slab + SIZE, size);
  store<u32>(slab + CAPACITY, capacity);
  store<u32>(slab + INFO, c | (safe ? SAFE_SLAB : 0));
  if (safe) memory.fill(slab + HEADER_AT - <usize>capacity * META_SIZE, 0, <usize>capacity * META_SIZE);
}

/** The index of the slot at `slot`, which must start a slot. */
// @ts-ignore: decorator
@inline export function slotIndex(slab: usize, slot: usize): u32 {
  return <u32>((slot - slab) / slabSize(slab));
}

/** The address of slot `index`'s meta word (safe slabs only). */
// @ts-ignore: decorator
@inline export function metaAt(slab: usize, index: u32): usize {
  return slab + HEADER_AT - <usize>(slabCapacity(slab) - index) * META_SIZE;
}

/** Where the free-list link of `slot` lives: in its meta word with safety, else in the slot. */
// @ts-ignore: decorator
@inline export function linkAt(slab: usize, slot: usize): usize {
  return slabIsSafe(slab) ? metaAt(slab, slotIndex(slab, slot)) : slot;
}

/**
 * Whether `slot`, read from `slab`'s free list, can be one of its handed-out slots: in the slab,
 * below the bump, 8-aligned. A link that is not is damaged metadata.
 */
// @ts-ignore: decorator
@inline function isListable(slab: usize, slot: usize): bool {
  return slabOf(slot) == slab && slot < slabBump(slab) && (slot & (LINEAR_STEP - 1)) == 0;
}

/**
 * Takes a slot from `slab`, which must not be full: the last one freed, else a fresh one; 0 when
 * the header is damaged (a bump off the slab's slot boundaries, or below slots in use). A
 * free-list link that leaves the handed-out slots, or links a slot to itself, is damaged too: the
 * rest of the list is dropped rather than hand out memory another block may hold (validate()
 * reports the damage).
 */
// @ts-ignore: decorator
@inline export function slabPop(slab: usize): usize {
  assert(!slabIsFull(slab), "a slot taken from a full slab");
  let slot = slabFreeHead(slab);
  if (slot != 0 && isListable(slab, slot)) {
    const next: usize = load<u32>(linkAt(slab, slot));
    // A slot linked to itself would be handed out again by the next pop.
    store<u32>(slab + FREE, next != 0 && next != slot && isListable(slab, next) ? next : 0);
  } else {
    slot = slabBump(slab);
    const size = slabSize(slab);
    // Every slot in use lies below the bump, which stays on a slot boundary within the slots.
    if (size != classSize(slabClass(slab))) return 0;
    const handedOut = (slot - slab) / size;
    if (slabOf(slot) != slab || (slot - slab) % size != 0 || handedOut >= <usize>slabCapacity(slab)
      || handedOut < <usize>slabUsed(slab)) return 0;
    store<u32>(slab + FREE, 0);
    store<u32>(slab + BUMP, slot + size);
  }
  store<u32>(slab + USED, slabUsed(slab) + 1);
  assert(slabOf(slot) == slab && slot + slabSize(slab) <= slab + HEADER_AT, "a slab's free list left its slots");
  return slot;
}

/**
 * How many slots of `slab` have been handed out at least once: the slots below the bump, never
 * more than the slab holds, so that a damaged bump cannot send a walk past its slab.
 */
// @ts-ignore: decorator
@inline export function slabHandedOut(slab: usize): u32 {
  const size = slabSize(slab);
  const bump = slabBump(slab);
  return size == 0 || bump < slab ? 0 : <u32>min((bump - slab) / size, <usize>slabCapacity(slab));
}

/**
 * Whether every slot `slab` handed out is on its free list, asked when its count of slots in use
 * falls to 0 and before the slab is given up. The count is the only record of how many slots are
 * live that a free updates, so a damaged count would give a page that holds a live block back to
 * the backing allocator, which hands it out again; the free list is the other record. The walk
 * stops once it is longer than the slots handed out (a list that long repeats a slot: it is a
 * cycle), so it ends on any list. It takes a step per slot handed out since the slab was last
 * fresh, each of which an allocation paid for; without safety an emptied slab is made fresh
 * again (slabRewind), with safety its bump stays (a free below it is a double free).
 */
export function slabAllFree(slab: usize): bool {
  const handedOut = slabHandedOut(slab);
  const size = slabSize(slab);
  let free: u32 = 0;
  for (let slot = slabFreeHead(slab); slot != 0; slot = load<u32>(linkAt(slab, slot))) {
    // handedOut >= 1 from here on, so size != 0.
    if (++free > handedOut || !isListable(slab, slot) || (slot - slab) % size != 0) return false;
  }
  return free == handedOut;
}

/** Makes `slab`, every slot of which is free (slabAllFree), as slabFormat left it. */
// @ts-ignore: decorator
@inline export function slabRewind(slab: usize): void {
  store<u32>(slab + FREE, 0);
  store<u32>(slab + BUMP, slab);
}

/**
 * Whether `slab`, read from the GPA's record, is a slab of class `c` (with meta when `safe`):
 * 64 KiB-aligned, inside memory, its header naming that class.
 */
export function isSlabOf(slab: usize, c: u32, safe: bool): bool {
  return (slab & SLAB_MASK) == 0 && <u64>slab + <u64>SLAB_SIZE <= (<u64>memory.size() << 16)
    && load<u32>(slab + INFO) == (c | (safe ? SAFE_SLAB : 0));
}

/**
 * Whether `slab`, read from the GPA's spare word, is an empty slab (with meta when `safe`): its
 * class, size and capacity agreeing with each other as slabFormat wrote them, no slot in use.
 */
export function isEmptySlab(slab: usize, safe: bool): bool {
  const c = slabClass(slab);
  return c < CLASS_COUNT && isSlabOf(slab, c, safe) && slabSize(slab) == classSize(c)
    && slabCapacity(slab) == capacityFor(slabSize(slab), safe) && slabUsed(slab) == 0;
}

/**
 * Whether `slot`, read from the quarantine, starts a slot of a safe slab whose meta says held:
 * only such a slot may go back to its slab's free list.
 */
export function isHeldSlot(slot: usize): bool {
  const slab = slabOf(slot);
  if (<u64>slab + <u64>SLAB_SIZE > (<u64>memory.size() << 16) || !couldBeSlot(slot) || !slabIsSafe(slab)
    || slabSize(slab) == 0) return false;
  const offset = slot - slab;
  return offset % slabSize(slab) == 0 && offset / slabSize(slab) < <usize>slabCapacity(slab)
    && load<u32>(metaAt(slab, slotIndex(slab, slot))) == META_HELD;
}

/** Gives `slot` back to `slab`. */
// @ts-ignore: decorator
@inline export function slabPush(slab: usize, slot: usize): void {
  assert(slabUsed(slab) != 0, "a slot given back to an empty slab");
  assert((slot - slab) % slabSize(slab) == 0 && slot < slabBump(slab), "a slot given back off a slot boundary");
  store<u32>(linkAt(slab, slot), slabFreeHead(slab));
  store<u32>(slab + FREE, slot);
  store<u32>(slab + USED, slabUsed(slab) - 1);
}

/**
 * Whether `ptr` could start a slot of its slab: 8-aligned, below the slots never handed out, in
 * a page with a slab header. Without safety it is all a free checks (no division: cheap, and
 * enough to keep 0, a record or a slab header from being linked into a free list); with safety,
 * checkLive proves the slot boundary and much more.
 */
// @ts-ignore: decorator
@inline export function couldBeSlot(ptr: usize): bool {
  const slab = slabOf(ptr);
  return slabSize(slab) != 0 && ptr < slabBump(slab) && (ptr & (LINEAR_STEP - 1)) == 0;
}

/** The meta word of a slot in use. */
// @ts-ignore: decorator
@inline export function metaInUse(len: usize, align: usize): u32 {
  return (<u32>len << META_LEN_SHIFT) | (log2(align) << META_ALIGN_SHIFT) | META_USED;
}
// @ts-ignore: decorator
@inline export function metaIsUsed(meta: u32): bool { return (meta & META_USED) != 0; }
// @ts-ignore: decorator
@inline export function metaLen(meta: u32): usize { return meta >> META_LEN_SHIFT; }
// @ts-ignore: decorator
@inline export function metaAlignLog2(meta: u32): u32 { return (meta >> META_ALIGN_SHIFT) & META_ALIGN_MASK; }
// @ts-ignore: decorator
@inline export function metaAlign(meta: u32): usize { return <usize>1 << metaAlignLog2(meta); }

// The ring of one class's slabs. `head` is the address of the class's head word in the GPA
// record; it holds the first slab, or 0 when the class has none.

/** Puts `slab` first in the ring. */
export function ringPushFront(head: usize, slab: usize): void {
  const first: usize = load<u32>(head);
  if (first == 0) {
    store<u32>(slab + NEXT, slab);
    store<u32>(slab + PREV, slab);
  } else {
    const last: usize = load<u32>(first + PREV);
    store<u32>(slab + NEXT, first);
    store<u32>(slab + PREV, last);
    store<u32>(last + NEXT, slab);
    store<u32>(first + PREV, slab);
  }
  store<u32>(head, slab);
}

/** Takes `slab` out of the ring. */
export function ringUnlink(head: usize, slab: usize): void {
  assert(ringLinked(slab), "unlinking a slab whose ring is broken");
  const next: usize = load<u32>(slab + NEXT);
  if (next == slab) {
    store<u32>(head, 0);
    return;
  }
  const prev: usize = load<u32>(slab + PREV);
  store<u32>(prev + NEXT, next);
  store<u32>(next + PREV, prev);
  if (<usize>load<u32>(head) == slab) store<u32>(head, next);
}

/** Checks one ring link: `slab`'s next points back at it. */
export function ringLinked(slab: usize): bool {
  return <usize>load<u32>(<usize>load<u32>(slab + NEXT) + PREV) == slab;
}

/** The slab after `slab` in the ring that `head` starts, or 0 once the ring is walked. */
export function ringAfter(head: usize, slab: usize): usize {
  const next: usize = load<u32>(slab + NEXT);
  return next == <usize>load<u32>(head) ? 0 : next;
}
