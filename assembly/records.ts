// Allocator records. Every allocator's state is one fixed-size record in linear memory; its
// address is the allocator's handle. Records are carved from pages and linked into a registry so
// that validate() can walk every live allocator.
//
//   ┌────────┬──────┬──────┬────────────┬────────────────────────────────────┐
//   │ vtable │ next │ prev │ generation │ body: the allocator's own fields    │
//   └────────┴──────┴──────┴────────────┴────────────────────────────────────┘
//    +0       +4     +8     +12          +16 = BODY                RECORD_SIZE
//
// `vtable` is the kind's (see vtable.ts). A free record has vtable 0 and `next` links it into
// the free-record list; live records are doubly linked from `liveHead`. `generation` counts the
// times the record was freed; it survives reuse, so references (reference.ts) go stale.

import { PAGE_SIZE } from "./memory";
import { pageAlloc } from "./page";
import { GENERATION_MASK, LIBRARY, referenceTo, recordOfReference, generationOfReference } from "./reference";

@unmanaged class RecordHeader {
  vtable: usize;
  next: usize;
  prev: usize;
  generation: u32;
}

export const RECORD_SIZE: usize = 256;
if (RECORD_SIZE <= GENERATION_MASK) ERROR("a record's alignment must leave room for its generation");
/** Where an allocator's own fields start in its record. */
export const BODY: usize = offsetof<RecordHeader>();

let liveHead: usize = 0;
let freeHead: usize = 0;

// @ts-ignore: decorator
@inline function header(record: usize): RecordHeader { return changetype<RecordHeader>(record); }

/** The address of `record`'s vtable (0 for a free record). */
// @ts-ignore: decorator
@inline export function vtableAddressOf(record: usize): usize { return header(record).vtable; }

/** A zeroed record of the kind whose vtable is at `vtable`, registered as live; 0 if out of memory. */
export function newRecord(vtable: usize): usize {
  if (freeHead == 0) {
    const page = pageAlloc(PAGE_SIZE, LIBRARY);
    if (page == 0) return 0;
    for (let r = page + PAGE_SIZE - RECORD_SIZE; r >= page; r -= RECORD_SIZE) {
      header(r).next = freeHead;
      freeHead = r;
    }
  }
  const record = freeHead;
  freeHead = header(record).next;
  const generation = header(record).generation;
  memory.fill(record, 0, RECORD_SIZE);
  header(record).generation = generation;
  header(record).vtable = vtable;
  header(record).next = liveHead;
  if (liveHead != 0) header(liveHead).prev = record;
  liveHead = record;
  return record;
}

/** Unregisters `record` and puts it on the free-record list. */
export function freeRecord(record: usize): void {
  assert(vtableAddressOf(record) != 0, "record freed twice");
  const next = header(record).next;
  const prev = header(record).prev;
  if (prev != 0) header(prev).next = next;
  else liveHead = next;
  if (next != 0) header(next).prev = prev;
  header(record).vtable = 0;
  header(record).generation++;
  header(record).next = freeHead;
  freeHead = record;
}

/** A reference to the live `record`, stale once it is freed. */
export function referenceOf(record: usize): usize {
  return referenceTo(record, header(record).generation);
}

/** The record `reference` names if that allocator still lives, else 0. */
export function liveRecord(reference: usize): usize {
  const record = recordOfReference(reference);
  if (record == 0 || <u64>record + <u64>RECORD_SIZE > (<u64>memory.size() << 16) || header(record).vtable == 0) return 0;
  return (header(record).generation & <u32>GENERATION_MASK) == generationOfReference(reference) ? record : 0;
}

/** The first live record, for walking the registry with nextRecord(); 0 if none. */
export function firstRecord(): usize { return liveHead; }
export function nextRecord(record: usize): usize { return header(record).next; }
