// An allocator written in TypeScript (src/define-allocator.ts): a record of its own kind whose
// body holds the id under which JavaScript keeps the user's callbacks. Each vtable function calls
// an imported host function with that id, which calls the callback. The core reaches it only
// where it would reach any backing allocator: an arena's new chunk, a GPA's slab, never a bump.
//
//   record body ┌────┐
//               │ id │   the callbacks' id in JavaScript (never 0)
//               └────┘
//                ID
//
// What the core trusts: the imports hand back only what the bridge checked (define-allocator.ts):
// 0, or an address aligned to `align` whose `len` bytes lie above the heap's metadata and inside
// memory, and a resize's answer as 1 or 0. The debug build asserts it. It cannot check that the
// bytes are the callback's to give (no other allocation, no record page): that is the contract.
//
// A callback may throw: the exception unwinds through the core's frames, so a caller of a
// backing allocator must do its bookkeeping after an alloc or resize returns and before a free
// is made, as the arena, the pool and the GPA do, to be left whole. A callback may call
// back into the heap: the last status, the only state of the core that any call overwrites and a
// caller reads later, is kept across the import.

import { BODY, RECORD_SIZE, newRecord, freeRecord } from "./records";
import { Status, fail, getLastStatus, getLastAddress } from "./status";
import { isPlausibleBlock } from "./dispatch";
import { defineVTable } from "./vtable";

@external("env", "definedAlloc")
declare function definedAllocImport(id: u32, len: usize, align: usize): usize;
@external("env", "definedResize")
declare function definedResizeImport(id: u32, ptr: usize, len: usize, newLen: usize, align: usize): bool;
@external("env", "definedRemap")
declare function definedRemapImport(id: u32, ptr: usize, len: usize, newLen: usize, align: usize): usize;
@external("env", "definedFree")
declare function definedFreeImport(id: u32, ptr: usize, len: usize, align: usize): void;

const ID: usize = BODY;
const DEFINED_END: usize = ID + sizeof<u32>();
if (DEFINED_END > RECORD_SIZE) ERROR("the defined allocator's fields overflow its record");

// @ts-ignore: decorator
@inline function idOf(self: usize): u32 { return load<u32>(self + ID); }

/** Whether `ptr` is an address the bridge may hand back for `len` bytes at `align` (0 included). */
function checked(ptr: usize, len: usize, align: usize): bool {
  return ptr == 0 || isPlausibleBlock(ptr, len, align);
}

// Each function reads the last status before the import and writes it back after: a callback
// that calls the heap (a failing call included) must not change what the caller reads after a 0.

function definedAlloc(self: usize, len: usize, align: usize, _caller: usize): usize {
  const status = getLastStatus(), address = getLastAddress();
  const ptr = definedAllocImport(idOf(self), len, align);
  fail(status, address);
  assert(checked(ptr, len, align), "the bridge passed on a bad address from alloc");
  return ptr;
}

function definedResize(self: usize, ptr: usize, len: usize, newLen: usize, align: usize, _caller: usize): Status {
  const status = getLastStatus(), address = getLastAddress();
  const done = definedResizeImport(idOf(self), ptr, len, newLen, align);
  fail(status, address);
  return done ? Status.OK : Status.OUT_OF_MEMORY;
}

function definedRemap(self: usize, ptr: usize, len: usize, newLen: usize, align: usize, _caller: usize): usize {
  const status = getLastStatus(), address = getLastAddress();
  const moved = definedRemapImport(idOf(self), ptr, len, newLen, align);
  fail(status, address);
  assert(checked(moved, newLen, max(align, 1)), "the bridge passed on a bad address from remap");
  return moved;
}

function definedFree(self: usize, ptr: usize, len: usize, align: usize, _caller: usize): Status {
  const status = getLastStatus(), address = getLastAddress();
  definedFreeImport(idOf(self), ptr, len, align);
  fail(status, address);
  return Status.OK;
}

/** The callbacks are JavaScript's; the record holds nothing else that could break. */
function definedValidate(self: usize): Status {
  return idOf(self) != 0 ? Status.OK : fail(Status.CORRUPTION, self);
}

const DEFINED = defineVTable(definedAlloc, definedResize, definedFree, freeRecord, definedValidate, definedRemap);

/** A record for the callbacks JavaScript keeps under `id` (not 0); 0 if no record could be made. */
export function definedInit(id: u32): usize {
  const self = newRecord(DEFINED);
  if (self != 0) store<u32>(self + ID, id);
  return self;
}
