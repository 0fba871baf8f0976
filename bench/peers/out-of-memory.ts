// A peer whose allocator returns nothing throws this, so that its cell fails instead of writing
// through offset 0 and reporting a figure for work it did not do.

export function outOfMemory(bytes?: number): never {
  throw new RangeError(bytes === undefined ? "out of memory" : `out of memory allocating ${bytes} bytes`);
}
