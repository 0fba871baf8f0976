// The GPA's page directory: what the GPA knows about the 64 KiB-aligned blocks it takes from its
// backing allocator, keyed by block address. Every large allocation has an entry (its length and
// alignment live nowhere else); with safety, so does every slab, which is how a free proves that
// a pointer is this GPA's before reading anything at it, and so do blocks given back, which is
// how a free after the memory went back is still told apart as a double free.
//
// An open-addressing hash table with linear probing, at most half full, in memory from the
// backing allocator; deletion shifts the probe run back, so there are no tombstones.
//
//   directory (in the GPA record)     table (capacity entries)
//   ┌───────┬──────────┬──────┐       ┌─────┬─────┬──────┐┌─────┬─────┬──────┐
//   │ table │ capacity │ used │       │ key │ len │ info ││ key │ len │ info │ …
//   └───────┴──────────┴──────┘       └─────┴─────┴──────┘└─────┴─────┴──────┘
//    +0      +4         +8             +0    +4    +8     ENTRY_SIZE
//
// `key` is the block address (0: empty). `info` is the EntryKind in its low byte and, above it,
// the log2 alignment of a large allocation or the class of a slab. `len` is a large allocation's
// length, or how many bytes of a given-back slab had ever been handed out.

import { backingAlloc, backingFree } from "../dispatch";

@unmanaged class Directory {
  /** The table's address, or 0 before the first entry. */
  table: usize;
  /** Entries the table holds: a power of two, or 0. */
  capacity: u32;
  /** Entries in use; always at most half the capacity. */
  used: u32;
}
@unmanaged class Entry {
  key: usize;
  len: usize;
  info: u32;
}

const TABLE: usize = offsetof<Directory>("table");
const CAPACITY: usize = offsetof<Directory>("capacity");
const USED: usize = offsetof<Directory>("used");
export const DIRECTORY_SIZE: usize = offsetof<Directory>();

const KEY: usize = offsetof<Entry>("key");
const LEN: usize = offsetof<Entry>("len");
const INFO: usize = offsetof<Entry>("info");
const ENTRY_SIZE: usize = offsetof<Entry>();
const TABLE_ALIGN: usize = 4;
const MIN_CAPACITY: u32 = 64;
const KIND_MASK: u32 = 0xFF;
const DETAIL_SHIFT: u32 = 8;
/** Fibonacci hashing: 2^32 divided by the golden ratio. */
const HASH_MULTIPLIER: u32 = 0x9E3779B1;
const BLOCK_SHIFT: u32 = 16;

export const enum EntryKind { LARGE = 1, SLAB = 2, GIVEN_BACK_LARGE = 3, GIVEN_BACK_SLAB = 4 }

// @ts-ignore: decorator
@inline function dirTable(dir: usize): usize { return load<u32>(dir + TABLE); }
// @ts-ignore: decorator
@inline export function dirCapacity(dir: usize): u32 { return load<u32>(dir + CAPACITY); }
// @ts-ignore: decorator
@inline export function dirUsed(dir: usize): u32 { return load<u32>(dir + USED); }
/** Bytes the table takes from the backing allocator. */
// @ts-ignore: decorator
@inline export function dirBytes(dir: usize): usize { return <usize>dirCapacity(dir) * ENTRY_SIZE; }

// @ts-ignore: decorator
@inline export function entryKey(entry: usize): usize { return load<u32>(entry + KEY); }
// @ts-ignore: decorator
@inline export function entryLen(entry: usize): usize { return load<u32>(entry + LEN); }
// @ts-ignore: decorator
@inline export function entryKind(entry: usize): EntryKind { return load<u32>(entry + INFO) & KIND_MASK; }
/** The log2 alignment of a large allocation, or the class of a slab. */
// @ts-ignore: decorator
@inline export function entryDetail(entry: usize): u32 { return load<u32>(entry + INFO) >> DETAIL_SHIFT; }

/** Changes what the entry says; its key stays. */
// @ts-ignore: decorator
@inline export function entrySet(entry: usize, len: usize, kind: EntryKind, detail: u32): void {
  store<u32>(entry + LEN, len);
  store<u32>(entry + INFO, kind | (detail << DETAIL_SHIFT));
}

// @ts-ignore: decorator
@inline function home(key: usize, capacity: u32): u32 {
  return ((<u32>key >> BLOCK_SHIFT) * HASH_MULTIPLIER) >> (clz<u32>(capacity) + 1);
}

/** The entry for block address `key`, or 0. */
export function dirFind(dir: usize, key: usize): usize {
  const table = dirTable(dir);
  if (table == 0 || key == 0) return 0;
  const mask = dirCapacity(dir) - 1;
  let i = home(key, mask + 1);
  // At most half full, so an empty entry ends every probe; a full table is damaged metadata.
  for (let probes = mask + 1; probes != 0; probes--) {
    const entry = table + <usize>i * ENTRY_SIZE;
    const found = entryKey(entry);
    if (found == key) return entry;
    if (found == 0) return 0;
    i = (i + 1) & mask;
  }
  return 0;
}

/** The empty entry where `key` goes in `table`, which must not hold it. */
function probeEmpty(table: usize, capacity: u32, key: usize): usize {
  const mask = capacity - 1;
  let i = home(key, capacity);
  for (let probes = capacity; probes != 0; probes--) {
    const entry = table + <usize>i * ENTRY_SIZE;
    if (entryKey(entry) == 0) return entry;
    i = (i + 1) & mask;
  }
  return 0;
}

/** Doubles the table; false, changing nothing, if the backing allocator has no room. */
function dirGrow(gpa: usize, dir: usize, backing: usize): bool {
  const oldTable = dirTable(dir);
  const oldCapacity = dirCapacity(dir);
  const capacity = oldCapacity == 0 ? MIN_CAPACITY : oldCapacity << 1;
  const table = backingAlloc(gpa, backing, <usize>capacity * ENTRY_SIZE, TABLE_ALIGN);
  if (table == 0) return false;
  memory.fill(table, 0, <usize>capacity * ENTRY_SIZE);
  for (let i: u32 = 0; i < oldCapacity; i++) {
    const entry = oldTable + <usize>i * ENTRY_SIZE;
    const empty = entryKey(entry) != 0 ? probeEmpty(table, capacity, entryKey(entry)) : 0;
    if (empty != 0) memory.copy(empty, entry, ENTRY_SIZE);
  }
  store<u32>(dir + TABLE, table);
  store<u32>(dir + CAPACITY, capacity);
  // The new table is in place before the old one goes back: the backing call may throw.
  if (oldTable != 0) backingFree(gpa, backing, oldTable, <usize>oldCapacity * ENTRY_SIZE, TABLE_ALIGN);
  return true;
}

/**
 * Makes room for one more entry, growing the table from `backing` if needed; false when the
 * backing allocator has no room. Called before taking the block the entry will describe, so the
 * table never lands right above a block and keeps it from growing in place.
 */
export function dirReserve(gpa: usize, dir: usize, backing: usize): bool {
  return (dirUsed(dir) + 1) * 2 <= dirCapacity(dir) || dirGrow(gpa, dir, backing);
}

/** Records `key` as `kind`, replacing what was known about it. A new key needs dirReserve first. */
export function dirPut(dir: usize, key: usize, len: usize, kind: EntryKind, detail: u32): void {
  let entry = dirFind(dir, key);
  if (entry == 0) {
    entry = probeEmpty(dirTable(dir), dirCapacity(dir), key);
    if (entry == 0) return; // a full table: damaged metadata, which validate() reports
    store<u32>(entry + KEY, key);
    store<u32>(dir + USED, dirUsed(dir) + 1);
  }
  entrySet(entry, len, kind, detail);
}

/** Removes `entry`, moving later entries of its probe run back into the hole. */
export function dirRemove(dir: usize, entry: usize): void {
  const table = dirTable(dir);
  const capacity = dirCapacity(dir);
  const mask = capacity - 1;
  let hole = <u32>((entry - table) / ENTRY_SIZE);
  for (let i = (hole + 1) & mask, probes = capacity; probes != 0; i = (i + 1) & mask, probes--) {
    const next = table + <usize>i * ENTRY_SIZE;
    const key = entryKey(next);
    if (key == 0) break;
    // The entry at i may move to the hole unless its home lies cyclically in (hole, i].
    const distanceHome = (i - home(key, capacity)) & mask;
    if (distanceHome >= ((i - hole) & mask)) {
      memory.copy(table + <usize>hole * ENTRY_SIZE, next, ENTRY_SIZE);
      hole = i;
    }
  }
  store<u32>(table + <usize>hole * ENTRY_SIZE + KEY, 0);
  store<u32>(dir + USED, dirUsed(dir) - 1);
}

/** Gives the table back to `backing`; the directory is empty after. */
export function dirRelease(gpa: usize, dir: usize, backing: usize): void {
  const table = dirTable(dir);
  const bytes = dirBytes(dir);
  // Forgotten before the backing call, which may throw.
  store<u32>(dir + TABLE, 0);
  store<u32>(dir + CAPACITY, 0);
  store<u32>(dir + USED, 0);
  if (table != 0) backingFree(gpa, backing, table, bytes, TABLE_ALIGN);
}

/** Whether `entry` is found where it sits: a lookup of its key from its home reaches it. */
export function dirReaches(dir: usize, entry: usize): bool {
  return dirFind(dir, entryKey(entry)) == entry;
}

/** The first entry in use after `entry` in table order (0: from the start); 0 after the last. */
export function dirNext(dir: usize, entry: usize): usize {
  const end = dirTable(dir) + dirBytes(dir);
  for (let e = entry == 0 ? dirTable(dir) : entry + ENTRY_SIZE; e < end; e += ENTRY_SIZE) {
    if (entryKey(e) != 0) return e;
  }
  return 0;
}
