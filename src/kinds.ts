// Element kinds: the names and constructors that alloc() takes, and the view type each makes.

import type { TypedArrayConstructor, ViewConstructor } from "../bindings/linear-memory";

/** The view type of each element kind name. */
export interface ViewTypes {
  i8: Int8Array; u8: Uint8Array; u8c: Uint8ClampedArray;
  i16: Int16Array; u16: Uint16Array; i32: Int32Array; u32: Uint32Array;
  f32: Float32Array; f64: Float64Array; i64: BigInt64Array; u64: BigUint64Array;
}

export type KindName = keyof ViewTypes;
export type { TypedArrayConstructor };
/** An element kind: its name (`"f64"`) or its constructor (`Float64Array`). */
export type ElementKind = KindName | TypedArrayConstructor;
/** Any view an allocator hands out. */
export type View = ViewTypes[KindName];
/** The view `alloc(kind, n)` returns: `"f64"` and `Float64Array` both give a `Float64Array`. */
export type ViewOf<K extends ElementKind> = K extends KindName ? ViewTypes[K]
  : K extends { prototype: infer V } ? V : never;
/** What one element of a view holds. */
export type ElementOf<V extends View> = V extends BigInt64Array | BigUint64Array ? bigint : number;

export interface KindInfo {
  readonly ctor: ViewConstructor;
  /** Bytes per element, which is also the natural alignment. */
  readonly size: number;
  readonly zero: 0 | 0n;
  readonly name: KindName;
}

export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  i8: { name: "i8", ctor: Int8Array, size: 1, zero: 0 },
  u8: { name: "u8", ctor: Uint8Array, size: 1, zero: 0 },
  u8c: { name: "u8c", ctor: Uint8ClampedArray, size: 1, zero: 0 },
  i16: { name: "i16", ctor: Int16Array, size: 2, zero: 0 },
  u16: { name: "u16", ctor: Uint16Array, size: 2, zero: 0 },
  i32: { name: "i32", ctor: Int32Array, size: 4, zero: 0 },
  u32: { name: "u32", ctor: Uint32Array, size: 4, zero: 0 },
  f32: { name: "f32", ctor: Float32Array, size: 4, zero: 0 },
  f64: { name: "f64", ctor: Float64Array, size: 8, zero: 0 },
  i64: { name: "i64", ctor: BigInt64Array, size: 8, zero: 0n },
  u64: { name: "u64", ctor: BigUint64Array, size: 8, zero: 0n },
};

const byConstructor = new Map<unknown, KindInfo>(Object.values(KINDS).map((k) => [k.ctor, k]));

// The kinds alloc() is called with most, for kindInfo()'s first switch: module constants, so that
// each case is a compare and a load.
const F64 = KINDS.f64, F32 = KINDS.f32, I32 = KINDS.i32, U32 = KINDS.u32, U8 = KINDS.u8;

/**
 * The kind `kind` names; TypeError for anything else. Inlined into alloc() at every call site the
 * engine inlines alloc() into, so its bytecode counts against the caller's inlining budget: the
 * common kinds are one short switch, everything else one call.
 */
export function kindInfo(kind: ElementKind): KindInfo {
  // A switch of constant names compiles to a few pointer compares, where a keyed load from KINDS
  // turns megamorphic as soon as one call site sees several kinds.
  switch (kind) {
    case "f64": return F64;
    case "f32": return F32;
    case "i32": return I32;
    case "u32": return U32;
    case "u8": return U8;
  }
  return otherKind(kind);
}

/** kindInfo() of a kind outside its first switch. */
function otherKind(kind: ElementKind): KindInfo {
  switch (kind) {
    case "i8": return KINDS.i8;
    case "u8c": return KINDS.u8c;
    case "i16": return KINDS.i16;
    case "u16": return KINDS.u16;
    case "i64": return KINDS.i64;
    case "u64": return KINDS.u64;
  }
  const found = byConstructor.get(kind);
  if (found === undefined) throw unknownKind(kind);
  return found;
}

// A view's facts are read through %TypedArray%.prototype's own getters, called on the view. They
// read the internal slots, so neither a DataView, nor an object shaped like a view (even one
// inheriting a typed array's prototype), nor an own property shadowing a getter can pass for a
// view; and V8 inlines each into a load, which is faster than `view.byteOffset` through the
// prototype chain.
const typedArrayPrototype: object = Object.getPrototypeOf(Int8Array.prototype);
const intrinsicGetter = <T>(key: PropertyKey) =>
  Object.getOwnPropertyDescriptor(typedArrayPrototype, key)!.get as (this: unknown) => T;
/** The constructor's name for a typed array, undefined for anything else; never throws. */
const tagOf = intrinsicGetter<string | undefined>(Symbol.toStringTag);
const bufferOf = intrinsicGetter<ArrayBufferLike>("buffer");
const byteOffsetOf = intrinsicGetter<number>("byteOffset");
const byteLengthOf = intrinsicGetter<number>("byteLength");
const lengthOf = intrinsicGetter<number>("length");

/** The buffer of the typed array `view`; TypeError for anything else, a DataView included. */
export function viewBuffer(view: unknown): ArrayBufferLike {
  try {
    return bufferOf.call(view);
  } catch {
    throw notAView(view);
  }
}

/** The byte offset of `view`, which viewBuffer() or viewKind() has accepted. */
export const viewByteOffset = (view: View): number => byteOffsetOf.call(view);
/** The byte length of `view`, which viewBuffer() or viewKind() has accepted. */
export const viewByteLength = (view: View): number => byteLengthOf.call(view);
/** The element count of `view`, which viewBuffer() or viewKind() has accepted. */
export const viewLength = (view: View): number => lengthOf.call(view);

/** Whether `value` is a typed array (a DataView is not); never throws. */
export const isTypedArray = (value: unknown): value is View => tagOf.call(value) !== undefined;

/** The kind of the typed array `view`; TypeError for anything else, a DataView included. */
export function viewKind(view: unknown): KindInfo {
  switch (tagOf.call(view)) {
    case "Float64Array": return KINDS.f64;
    case "Int32Array": return KINDS.i32;
    case "Uint8Array": return KINDS.u8;
    case "Float32Array": return KINDS.f32;
    case "Uint32Array": return KINDS.u32;
    case "Int8Array": return KINDS.i8;
    case "Uint8ClampedArray": return KINDS.u8c;
    case "Int16Array": return KINDS.i16;
    case "Uint16Array": return KINDS.u16;
    case "BigInt64Array": return KINDS.i64;
    case "BigUint64Array": return KINDS.u64;
  }
  throw notAView(view);
}

function notAView(value: unknown): TypeError {
  const what = value === null ? "null" : typeof value === "object" ? (Object.prototype.toString.call(value)) : typeof value;
  return new TypeError(`expected a view (a typed array: Int8Array … BigUint64Array), got ${what}`);
}

function unknownKind(kind: unknown): TypeError {
  return new TypeError(`unknown element kind ${String((kind as { name?: string })?.name ?? kind)}; `
      + `expected one of ${Object.keys(KINDS).join(", ")} or a typed array constructor`);
}

/**
 * A view of `n` elements of kind `name` at byte offset `ptr`. Each `new` site sees one constructor,
 * and once the caller's kind is a constant the engine keeps only its case and inlines it.
 */
export function makeView(name: KindName, buffer: ArrayBufferLike, ptr: number, n: number): View {
  switch (name) {
    case "f64": return new Float64Array(buffer, ptr, n);
    case "i32": return new Int32Array(buffer, ptr, n);
    case "u8": return new Uint8Array(buffer, ptr, n);
    case "f32": return new Float32Array(buffer, ptr, n);
    case "u32": return new Uint32Array(buffer, ptr, n);
    case "i8": return new Int8Array(buffer, ptr, n);
    case "u8c": return new Uint8ClampedArray(buffer, ptr, n);
    case "i16": return new Int16Array(buffer, ptr, n);
    case "u16": return new Uint16Array(buffer, ptr, n);
    case "i64": return new BigInt64Array(buffer, ptr, n);
    case "u64": return new BigUint64Array(buffer, ptr, n);
  }
}
