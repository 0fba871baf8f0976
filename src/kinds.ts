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
}

const info = (ctor: TypedArrayConstructor, zero: 0 | 0n = 0): KindInfo =>
  ({ ctor: ctor as ViewConstructor, size: ctor.BYTES_PER_ELEMENT, zero });

export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  i8: info(Int8Array), u8: info(Uint8Array), u8c: info(Uint8ClampedArray),
  i16: info(Int16Array), u16: info(Uint16Array), i32: info(Int32Array), u32: info(Uint32Array),
  f32: info(Float32Array), f64: info(Float64Array), i64: info(BigInt64Array, 0n), u64: info(BigUint64Array, 0n),
};

const byConstructor = new Map<unknown, KindInfo>(Object.values(KINDS).map((k) => [k.ctor, k]));

/** The kind `kind` names; TypeError for anything else. */
export function kindInfo(kind: ElementKind): KindInfo {
  const found: KindInfo | undefined = typeof kind === "string" ? KINDS[kind] : byConstructor.get(kind);
  // A name like "toString" finds an inherited member, which has no `ctor`.
  if (found === undefined || found.ctor === undefined) {
    throw new TypeError(`unknown element kind ${String((kind as { name?: string })?.name ?? kind)}; `
      + `expected one of ${Object.keys(KINDS).join(", ")} or a typed array constructor`);
  }
  return found;
}

/** The kind of an existing view, or undefined if it is not a typed array. */
export function kindOfView(view: unknown): KindInfo | undefined {
  return ArrayBuffer.isView(view) ? byConstructor.get(view.constructor) : undefined;
}
