// Allocator records. Every allocator's state is one fixed-size record in linear memory; its
// address is the allocator's handle. Records are carved from pages and linked into a registry so
// that validate() can walk every live allocator.
//
//   ┌────────┬──────┬──────┬──────────────────────────────────────────────┐
//   │ vtable │ next │ prev │ body: the allocator's own fields              │
//   └────────┴──────┴──────┴──────────────────────────────────────────────┘
//    +0       +4     +8     +12 = BODY                          RECORD_SIZE
//
// `vtable` is the kind's (see vtable.ts). A free record has vtable 0 and `next` links it into
// the free-record list; live records are doubly linked from `liveHead`.

import { PAGE_SIZE } from "./memory";
import { pageAlloc } from "./page";
import { VTable } from "./vtable";

@unmanaged class RecordHeader {
  vtable: usize;
  next: usize;
  prev: usize;
}

export const RECORD_SIZE: usize = 256;
/** Where an allocator's own fields start in its record. */
export const BODY: usize = offsetof<RecordHeader>();

let liveHead: usize = 0;
let freeHead: usize = 0;

// @ts-ignore: decorator
@inline function header(record: usize): RecordHeader { return changetype<RecordHeader>(record); }

/** The address of `record`'s vtable (0 for a free record). */
// @ts-ignore: decorator
@inline export function vtableAddressOf(record: usize): usize { return header(record).vtable; }
// @ts-ignore: decorator
@inline export function vtableOf(record: usize): VTable { return changetype<VTable>(header(record).vtable); }

/** A zeroed record of the kind whose vtable is at `vtable`, registered as live; 0 if out of memory. */
export function newRecord(vtable: usize): usize {
  if (freeHead == 0) {
    const page = pageAlloc(PAGE_SIZE);
    if (page == 0) return 0;
    for (let r = page + PAGE_SIZE - RECORD_SIZE; r >= page; r -= RECORD_SIZE) {
      header(r).next = freeHead;
      freeHead = r;
    }
  }
  const record = freeHead;
  freeHead = header(record).next;
  memory.fill(record, 0, RECORD_SIZE);
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
  header(record).next = freeHead;
  freeHead = record;
}

/** The first live record, for walking the registry with nextRecord(); 0 if none. */
export function firstRecord(): usize { return liveHead; }
export function nextRecord(record: usize): usize { return header(record).next; }
