// The allocator interface inside WebAssembly: Zig's std.mem.Allocator, a pointer and a vtable.
// The pointer is the allocator's record (its handle); the record's first word points at the
// vtable of its kind. Every allocator calls its backing allocator through dispatch.ts, which
// reads that vtable, so a backing call never leaves WebAssembly and no allocator imports another.
//
//   vtable ┌───────┬────────┬──────┬────────┬──────────┬───────┐
//          │ alloc │ resize │ free │ deinit │ validate │ remap │   function references (call_indirect)
//          └───────┴────────┴──────┴────────┴──────────┴───────┘
//
// A new allocator kind is one file that defines its functions and registers them with
// defineVTable(); the vtables live side by side in `vtables`, which is also how validate()
// tells a record of a known kind from a damaged one.

import { Status } from "./status";

// `caller` is a reference (reference.ts) to whoever asks: an allocator this one backs, or this
// one itself when its user calls from JavaScript. Only the page allocator uses it, to know the
// owner of each run.

/** `len` (1 or more) bytes aligned to `align`; 0 when out of memory. */
export type AllocFn = (self: usize, len: usize, align: usize, caller: usize) => usize;
/** Resizes [ptr, ptr + len) to `newLen` (both 1 or more) in place: OK, OUT_OF_MEMORY or the misuse. */
export type ResizeFn = (self: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize) => Status;
/** Frees [ptr, ptr + len) (len 1 or more), allocated with `align` (0: as allocated). */
export type FreeFn = (self: usize, ptr: usize, len: usize, align: usize, caller: usize) => Status;
/** Gives back everything the allocator holds, then its record. */
export type DeinitFn = (self: usize) => void;
/** Checks the allocator's own metadata: OK, or CORRUPTION with the address in the last status. */
export type ValidateFn = (self: usize) => Status;
/**
 * Zig's remap: [ptr, ptr + len) as `newLen` bytes (both 1 or more) at a possibly new address,
 * without copying; 0 if it cannot, with the misuse, if any, in the last status.
 */
export type RemapFn = (self: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize) => usize;

@unmanaged export class VTable {
  alloc: AllocFn;
  resize: ResizeFn;
  free: FreeFn;
  deinit: DeinitFn;
  validate: ValidateFn;
  remap: RemapFn;
}

const VTABLE_SIZE: usize = offsetof<VTable>();
/** Allocator kinds: page, arena, fixed buffer, GPA, and room for those to come. */
const MAX_KINDS: usize = 16;
const vtables: usize = memory.data(<i32>(VTABLE_SIZE * MAX_KINDS), 4);
let kinds: usize = 0;

/**
 * The remap of a kind that cannot move memory without copying (all but an allocator written in
 * TypeScript): Zig's default, a resize in place answering with the address. A record's first
 * word is its vtable's address.
 */
function remapInPlace(self: usize, ptr: usize, len: usize, newLen: usize, align: usize, caller: usize): usize {
  return changetype<VTable>(load<usize>(self)).resize(self, ptr, len, newLen, align, caller) == Status.OK ? ptr : 0;
}

/** Registers an allocator kind; its vtable's address goes into the first word of each record. */
export function defineVTable(alloc: AllocFn, resize: ResizeFn, free: FreeFn, deinit: DeinitFn,
  validate: ValidateFn, remap: RemapFn = remapInPlace): usize {
  assert(kinds < MAX_KINDS, "too many allocator kinds");
  const address = vtables + kinds++ * VTABLE_SIZE;
  const vtable = changetype<VTable>(address);
  vtable.alloc = alloc;
  vtable.resize = resize;
  vtable.free = free;
  vtable.deinit = deinit;
  vtable.validate = validate;
  vtable.remap = remap;
  return address;
}

/** Whether `address` is the vtable of a registered kind. */
export function isVTable(address: usize): bool {
  return address >= vtables && address < vtables + kinds * VTABLE_SIZE && (address - vtables) % VTABLE_SIZE == 0;
}
