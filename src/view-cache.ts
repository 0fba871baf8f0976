// Recycled views: an arena or a fixed buffer whose scopes repeat (a frame, a batch) hands out the
// same view objects again after reset, so that a steady loop constructs no view and makes no
// garbage. The cache holds view objects only, never allocator state: the bump region in memory
// decides every offset exactly as without it, and dropping the cache at any time changes nothing
// but speed.
//
//   position   0         1         2        …   the view allocations since the last reset
//   views      Float64A  Float64A  Int32A   …   what the allocation at that position handed out
//   kinds      f64       f64       i32      …   its kind
//
// The allocation at position i reuses views[i] when it is the same kind, the same length and the
// same byte offset; otherwise it makes a view as usual and that view replaces entry i (the scope
// diverged there; the positions after it are compared, and replaced, one by one as the scope goes
// on). Only alloc() (and create() and dupe(), which call it) of one element or more takes a
// position: raw allocations make no view and take none, nor do free, resize and realloc. A scope
// longer than MAX_RECYCLED_VIEWS allocations recycles its first MAX_RECYCLED_VIEWS only.
//
// A view is reused only if its own byte offset and length (read through the typed-array getters,
// which give 0 for a detached view) are the allocation's, so a view that "plain" growth detached
// never comes back. reset() also drops the cached views that "plain" growth detached since the
// last reset (from the first detached one on, so that positions stay in order). Under "resizable" and "shared" a view
// made before a growth still covers its bytes (a shared buffer never detaches; a resizable one
// only grows), so the cache is kept.

import { viewByteLength, viewByteOffset, viewLength, type KindInfo, type View } from "./kinds";
import type { LinearMemory } from "../bindings/linear-memory";

/** The view allocations of a scope that are recycled, from its first: 4096 views, 32 KiB of references. */
export const MAX_RECYCLED_VIEWS = 4096;

/** Options of the allocators that recycle views (ArenaAllocator, FixedBufferAllocator). */
export interface RecycleOptions {
  /**
   * Hand out the same view object again after reset when the allocation at the same position
   * since the reset has the same kind, length and offset as last time. Default true (for an
   * arena, false when its backing allocator is, through any chain of arenas, a
   * GeneralPurposeAllocator with safety on, so that a view held across reset stays a visible bug).
   */
  recycleViews?: boolean;
}

/** The `recycleViews` option, read once: true, false or undefined (the default); TypeError else. */
export function recycleOption(options: RecycleOptions | undefined, owner: string): boolean | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`the ${owner}'s options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const recycle: unknown = options.recycleViews;
  if (recycle !== undefined && typeof recycle !== "boolean") {
    throw new TypeError(`recycleViews must be a boolean, got ${typeof recycle}`);
  }
  return recycle;
}

/** The views an allocator handed out since its last reset, by position (see above). */
export class ViewCache {
  /** The position of the next view allocation: allocations since the last reset. */
  private next = 0;
  /** views[i] is the view of the allocation at position i, of kind kinds[i]; packed, at most MAX_RECYCLED_VIEWS. */
  private readonly views: View[] = [];
  private readonly kinds: KindInfo[] = [];
  /** Memory's buffer at the last reset: under "plain", a new one means every view here is detached. */
  private buffer: ArrayBufferLike;

  constructor(private readonly linear: LinearMemory) {
    this.buffer = linear.buffer;
  }

  /**
   * Takes the next position for an allocation of `n` (> 0) elements of `info` at `ptr`: the view
   * it handed out last time if that view is this allocation's, else undefined (the caller makes
   * one and keep()s it at the position returned by position() before this call).
   */
  take(info: KindInfo, ptr: number, n: number): View | undefined {
    const i = this.next++;
    if (i >= this.views.length) return undefined;
    const view = this.views[i];
    return this.kinds[i] === info && viewByteOffset(view) === ptr && viewLength(view) === n ? view : undefined;
  }

  /** The position the next take() takes. */
  position(): number {
    return this.next;
  }

  /**
   * Records `view`, of kind `info`, as the view of position `i`, replacing what was there. Only a
   * position inside the cache, or the one right after it under the bound, is kept: after drop()
   * halfway through a scope the rest of that scope is not recorded.
   */
  keep(i: number, view: View, info: KindInfo): void {
    const views = this.views;
    if (i < views.length) {
      views[i] = view;
      this.kinds[i] = info;
    } else if (i === views.length && i < MAX_RECYCLED_VIEWS) {
      views.push(view);
      this.kinds.push(info);
    }
  }

  /**
   * The allocator was reset: positions start again at 0. After a growth under "plain", drops the
   * views from the first detached one on: all of them when the growth came after the first view
   * (every view made before it is detached), none when it came before (an arena's first chunk).
   */
  restart(): void {
    this.next = 0;
    const buffer = this.linear.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    if (this.linear.strategy !== "plain") return;
    const views = this.views;
    let kept = 0;
    while (kept < views.length && viewByteLength(views[kept]) !== 0) kept++;
    views.length = kept;
    this.kinds.length = kept;
  }

  /** Forgets every view. */
  drop(): void {
    this.views.length = 0;
    this.kinds.length = 0;
  }

  /** How many views are cached. */
  get size(): number {
    return this.views.length;
  }
}
