// References to allocators that go stale when the allocator ends. An allocator's record is
// RECORD_SIZE-aligned, so the low bits of its address are free: a reference is the address with
// the record's generation (how many times the record was freed, mod 256) in them.
//
//   reference ┌────────────────────────────────────┬────────────┐
//             │ record address (bits 8..31)         │ generation │
//             └────────────────────────────────────┴────────────┘
//
// A child allocator keeps its backing as a reference, and the page allocator keeps the owner of
// each run as one, so that an allocator reusing a freed record is never taken for the one that
// held it before (until the same record has been reused 256 times over).

export const GENERATION_MASK: usize = 0xFF;

/** A reference that names no allocator: the owner of the library's own record pages. */
export const LIBRARY: usize = 1;

// @ts-ignore: decorator
@inline export function referenceTo(record: usize, generation: u32): usize {
  return record | (<usize>generation & GENERATION_MASK);
}

// @ts-ignore: decorator
@inline export function recordOfReference(reference: usize): usize { return reference & ~GENERATION_MASK; }

// @ts-ignore: decorator
@inline export function generationOfReference(reference: usize): u32 { return <u32>(reference & GENERATION_MASK); }
