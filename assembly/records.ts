// Allocator state records. Every allocator's state is one fixed-size record in linear memory; its
// address is the allocator's handle. Records are carved from pages and linked into a registry so
// that validate() can walk every live allocator.
//
//   ┌──────┬──────┬──────┬──────────┬─────────────────────────────────────────┐
//   │ kind │ next │ prev │ reserved │ body: the allocator's own fields         │
//   └──────┴──────┴──────┴──────────┴─────────────────────────────────────────┘
//    +0     +4     +8     +12        +16                            RECORD_SIZE
//
// A free record has kind NONE and `next` links it into the free-record list.

import { PAGE_SIZE } from "./memory";
import { pageAlloc } from "./page";

export const enum Kind { NONE = 0, PAGE = 1, ARENA = 2, FIXED = 3, GPA = 4 }

export const RECORD_SIZE: usize = 256;
/** Where an allocator's own fields start in its record. */
export const BODY: usize = 16;

const KIND: usize = 0;
const NEXT: usize = 4;
const PREV: usize = 8;

let liveHead: usize = 0;
let freeHead: usize = 0;

// @ts-ignore: decorator
@inline export function kindOf(record: usize): Kind { return load<u32>(record + KIND); }

/** A zeroed record of `kind`, registered as live; 0 if out of memory. */
export function newRecord(kind: Kind): usize {
  if (freeHead == 0) {
    const page = pageAlloc(PAGE_SIZE);
    if (page == 0) return 0;
    for (let r = page + PAGE_SIZE - RECORD_SIZE; r >= page; r -= RECORD_SIZE) {
      store<u32>(r + NEXT, freeHead);
      freeHead = r;
    }
  }
  const record = freeHead;
  freeHead = load<u32>(record + NEXT);
  memory.fill(record, 0, RECORD_SIZE);
  store<u32>(record + KIND, kind);
  store<u32>(record + NEXT, liveHead);
  if (liveHead != 0) store<u32>(liveHead + PREV, record);
  liveHead = record;
  return record;
}

/** Unregisters `record` and puts it on the free-record list. */
export function freeRecord(record: usize): void {
  const next: usize = load<u32>(record + NEXT);
  const prev: usize = load<u32>(record + PREV);
  if (prev != 0) store<u32>(prev + NEXT, next);
  else liveHead = next;
  if (next != 0) store<u32>(next + PREV, prev);
  store<u32>(record + KIND, Kind.NONE);
  store<u32>(record + NEXT, freeHead);
  freeHead = record;
}

/** The first live record, for walking the registry with nextRecord(); 0 if none. */
export function firstRecord(): usize { return liveHead; }
export function nextRecord(record: usize): usize { return load<u32>(record + NEXT); }
