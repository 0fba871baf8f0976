// Argument checks shared by every allocator: each throws at the call, before anything changes.

import { MAX_ALIGN } from "../bindings/abi.generated";

/** The most bytes one allocation can span: the wasm32 address space. */
export const MAX_ALLOCATION_BYTES = 2 ** 32 - 1;
/** The alignment of raw allocations when none is given: enough for every element kind. */
export const DEFAULT_RAW_ALIGN = 8;

// Each check accepts in one test and builds its error out of line: the checks are inlined into
// every allocation and free, and V8 inlines by bytecode size, so a message's template literal
// written in place would cost every caller's inlining budget.

/** `count` elements of `size` bytes, in bytes; RangeError unless `count` is a whole number in range. */
export function byteLength(count: number, size: number, what?: string): number {
  if (typeof count === "number" && count === count >>> 0 && count * size <= MAX_ALLOCATION_BYTES) return count * size;
  throw badLength(count, size, what ?? "length");
}

function badLength(count: unknown, size: number, what: string): RangeError {
  // A BigInt would make the multiplication throw the engine's "Cannot mix BigInt" instead.
  if (typeof count !== "number") return notANumber(what, count);
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

/** Keeps the powers of two from 1 to MAX_ALIGN of `x & -x` (x's lowest set bit). */
const ALIGN_MASK = 2 * MAX_ALIGN - 1;

/** RangeError unless `align` is a power of two from 1 to 65536. */
export function checkAlign(align: number): number {
  // `align & -align` is align only for a power of two (and only an integer one, in int32 range).
  if (typeof align === "number" && align === (align & -align & ALIGN_MASK) && align !== 0) return align;
  throw badAlign(align);
}

function badAlign(align: unknown): RangeError {
  if (typeof align !== "number") return notANumber("align", align);
  return new RangeError(`align must be a power of two from 1 to ${MAX_ALIGN}, got ${align}`);
}

/** RangeError unless `ptr` is a byte offset. */
export function checkOffset(ptr: number): number {
  if (typeof ptr === "number" && ptr === ptr >>> 0) return ptr;
  throw badOffset(ptr);
}

function badOffset(ptr: unknown): RangeError {
  if (typeof ptr !== "number") return notANumber("byte offset", ptr);
  return new RangeError(`byte offset must be a whole number from 0 to 2^32-1, got ${ptr}`);
}
