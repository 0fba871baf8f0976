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
  /**
   * A view of `n` elements at byte offset `ptr`. One function per kind, so that each `new` site
   * sees a single constructor and the engine can inline it.
   */
  readonly view: (buffer: ArrayBufferLike, ptr: number, n: number) => View;
}

export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  i8: { ctor: Int8Array, size: 1, zero: 0, view: (b, p, n) => new Int8Array(b, p, n) },
  u8: { ctor: Uint8Array, size: 1, zero: 0, view: (b, p, n) => new Uint8Array(b, p, n) },
  u8c: { ctor: Uint8ClampedArray, size: 1, zero: 0, view: (b, p, n) => new Uint8ClampedArray(b, p, n) },
  i16: { ctor: Int16Array, size: 2, zero: 0, view: (b, p, n) => new Int16Array(b, p, n) },
  u16: { ctor: Uint16Array, size: 2, zero: 0, view: (b, p, n) => new Uint16Array(b, p, n) },
  i32: { ctor: Int32Array, size: 4, zero: 0, view: (b, p, n) => new Int32Array(b, p, n) },
  u32: { ctor: Uint32Array, size: 4, zero: 0, view: (b, p, n) => new Uint32Array(b, p, n) },
  f32: { ctor: Float32Array, size: 4, zero: 0, view: (b, p, n) => new Float32Array(b, p, n) },
  f64: { ctor: Float64Array, size: 8, zero: 0, view: (b, p, n) => new Float64Array(b, p, n) },
  i64: { ctor: BigInt64Array, size: 8, zero: 0n, view: (b, p, n) => new BigInt64Array(b, p, n) },
  u64: { ctor: BigUint64Array, size: 8, zero: 0n, view: (b, p, n) => new BigUint64Array(b, p, n) },
};

const byConstructor = new Map<unknown, KindInfo>(Object.values(KINDS).map((k) => [k.ctor, k]));

/** The kind `kind` names; TypeError for anything else. */
export function kindInfo(kind: ElementKind): KindInfo {
  const found: KindInfo | undefined = typeof kind === "string" ? KINDS[kind] : byConstructor.get(kind);
  // A name like "toString" finds an inherited member, which has no `size`.
  if (found === undefined || found.size === undefined) throw unknownKind(kind);
  return found;
}

function unknownKind(kind: unknown): TypeError {
  return new TypeError(`unknown element kind ${String((kind as { name?: string })?.name ?? kind)}; `
      + `expected one of ${Object.keys(KINDS).join(", ")} or a typed array constructor`);
}

/** The kind of an existing view, or undefined if it is not a typed array. */
export function kindOfView(view: unknown): KindInfo | undefined {
  return ArrayBuffer.isView(view) ? byConstructor.get(view.constructor) : undefined;
}
