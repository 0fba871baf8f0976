// Linear-memory constants and the arithmetic every allocator shares. PAGE_SIZE, MAX_ALIGN and
// MAX_PAGES cross to JavaScript as exported globals (bindings/abi.generated.ts).

/** A WebAssembly page: the unit in which linear memory grows. */
export const PAGE_SIZE: usize = 65536;
const PAGE_SHIFT: u32 = 16;

/** The largest alignment an allocation may ask for: one page. */
export const MAX_ALIGN: usize = PAGE_SIZE;

/**
 * The most pages a heap may span. One page short of the wasm32 limit so that every end address,
 * `pages << PAGE_SHIFT`, still fits in 32 bits.
 */
export const MAX_PAGES: u32 = 65535;

/** Rounds `addr` up to a multiple of `align`, a power of two. */
// @ts-ignore: decorator
@inline export function alignForward(addr: usize, align: usize): usize {
  return (addr + align - 1) & ~(align - 1);
}

/** The number of pages that hold `bytes`. Exact for any `bytes` below 2^32. */
// @ts-ignore: decorator
@inline export function pagesFor(bytes: usize): u32 {
  return <u32>((<u64>bytes + <u64>(PAGE_SIZE - 1)) >> PAGE_SHIFT);
}

/** The address of page `index`. */
// @ts-ignore: decorator
@inline export function pageAddress(index: u32): usize {
  return <usize>index << PAGE_SHIFT;
}
