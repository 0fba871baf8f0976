// The element kinds as the fuzzer needs them: a constructor to re-create a view from (kind,
// byteOffset, length), as a careful user does under "plain" after growth, and the byte size.

import type { KindName, View } from "../src/index";

type Ctor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => View;

export const KIND_CTORS: Readonly<Record<KindName, Ctor>> = {
  i8: Int8Array, u8: Uint8Array, u8c: Uint8ClampedArray, i16: Int16Array, u16: Uint16Array,
  i32: Int32Array, u32: Uint32Array, f32: Float32Array, f64: Float64Array,
  i64: BigInt64Array, u64: BigUint64Array,
};

export const KIND_NAMES = Object.keys(KIND_CTORS) as KindName[];

export const sizeOf = (kind: KindName): number => KIND_CTORS[kind].prototype.BYTES_PER_ELEMENT as number;

export const isBigKind = (kind: KindName): boolean => kind === "i64" || kind === "u64";

/** A view of `n` elements of `kind` at `ptr` of `buffer`; an empty view of its own when n is 0. */
export function viewAt(kind: KindName, buffer: ArrayBufferLike, ptr: number, n: number): View {
  const Ctor = KIND_CTORS[kind];
  return n === 0 ? new Ctor(new ArrayBuffer(0), 0, 0) : new Ctor(buffer, ptr, n);
}
