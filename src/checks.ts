// Argument checks shared by every allocator: each throws at the call, before anything changes.

import { MAX_ALIGN } from "../bindings/abi.generated";

/** The most bytes one allocation can span: the wasm32 address space. */
export const MAX_ALLOCATION_BYTES = 2 ** 32 - 1;
/** The alignment of raw allocations when none is given: enough for every element kind. */
export const DEFAULT_RAW_ALIGN = 8;

/** `count` elements of `size` bytes, in bytes; RangeError unless `count` is a whole number in range. */
export function byteLength(count: number, size: number, what = "length"): number {
  // A BigInt would make the multiplication throw the engine's "Cannot mix BigInt" instead.
  if (typeof count !== "number") throw notANumber(what, count);
  const bytes = count * size;
  if ((count >>> 0) !== count || bytes > MAX_ALLOCATION_BYTES) throw badLength(count, size, what);
  return bytes;
}

function badLength(count: number, size: number, what: string): RangeError {
  return new RangeError(`${what} must be a whole number from 0 to ${Math.floor(MAX_ALLOCATION_BYTES / size)}, got ${count}`);
}

function notANumber(what: string, value: unknown): RangeError {
  return new RangeError(`${what} must be a number, got ${describeValue(value)}`);
}

/** `value` for an error message, whatever it is (a BigInt, a symbol, an object). */
export function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `the BigInt ${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** RangeError unless `align` is a power of two from 1 to 65536. */
export function checkAlign(align: number): number {
  if (typeof align !== "number") throw notANumber("align", align);
  if (!((align >>> 0) === align && align >= 1 && align <= MAX_ALIGN && (align & (align - 1)) === 0)) {
    throw new RangeError(`align must be a power of two from 1 to ${MAX_ALIGN}, got ${align}`);
  }
  return align;
}

/** RangeError unless `ptr` is a byte offset. */
export function checkOffset(ptr: number): number {
  if (typeof ptr !== "number") throw notANumber("byte offset", ptr);
  if ((ptr >>> 0) !== ptr) throw new RangeError(`byte offset must be a whole number from 0 to 2^32-1, got ${ptr}`);
  return ptr;
}
