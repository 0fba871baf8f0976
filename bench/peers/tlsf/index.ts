// @ts-nocheck: AssemblyScript (usize, the `heap` namespace), compiled by asc, not by tsc.
//
// The TLSF peer: AssemblyScript's own memory manager (std/assembly/rt/tlsf.ts) as a JavaScript
// user reaches it, one exported call per operation. Built with --runtime minimal by
// bench/peers/tlsf.ts; the module exports its memory, which TLSF grows on its own.

/** `size` bytes, 16-byte aligned; traps (unreachable) when memory cannot grow. */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Frees a block from alloc or realloc. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Resizes in place when it can, else moves and copies; the block's address after. */
export function realloc(ptr: usize, size: usize): usize {
  return heap.realloc(ptr, size);
}
