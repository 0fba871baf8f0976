// MemoryPool: Zig's std.heap.MemoryPool. The items and their free list live in the core
// (assembly/pool.ts); this class is a handle that hands the items out as views.

import type { Allocator, Heap } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { byteLength } from "./checks";
import { kindInfo, type ElementKind, type KindName, type ViewOf } from "./kinds";
import { resetArguments, type ResetMode } from "./arena";
import { OutOfMemoryError } from "./errors";

/**
 * Items of one element kind and length, created and destroyed in O(1): a destroyed item goes on
 * a free list kept in the freed items, the next create() takes it back. The items come from the
 * pool's own arena over `backing`, so reset() and deinit() give them all back at once. When
 * `backing` is a GeneralPurposeAllocator with safety on, destroying an item the pool did not
 * hand out is an InvalidFreeError and destroying one twice a DoubleFreeError.
 *
 * @example
 * const pool = new MemoryPool(gpa.allocator(), "f64", 16);
 * const m = pool.create();                          // a Float64Array(16)
 * pool.destroy(m);                                  // the next create() returns the same memory
 * pool.preheat(100);                                // 100 items made now, none later
 * pool.reset("retain_capacity");                    // every item freed, the memory kept
 * pool.deinit();
 */
export class MemoryPool<K extends ElementKind> implements Disposable {
  private readonly pool: CoreAllocator<Heap>;
  private readonly kind: KindName;
  private readonly length: number;

  constructor(backing: Allocator, kind: K, length: number) {
    const { size, name } = kindInfo(kind);
    const bytes = byteLength(length, size);
    if (bytes === 0) throw new RangeError("a MemoryPool's items must hold at least one element, got length 0");
    const parent = coreAllocatorOf(backing, "the pool's backing allocator");
    this.kind = name;
    this.length = length;
    this.pool = parent.child(parent.core.poolInit(parent.liveHandle(), bytes, size), "MemoryPool");
  }

  /** An item: the last one destroyed, else a new one. OutOfMemoryError when there is no room. */
  create(): ViewOf<K> {
    return this.pool.alloc(this.kind, this.length) as ViewOf<K>;
  }

  /** Gives `item` back to the pool; the next create() may return its memory. */
  destroy(item: ViewOf<K>): void {
    this.pool.free(item);
  }

  /** Makes `count` items now, so that the next `count` create() calls ask the backing for nothing. */
  preheat(count: number): void {
    const items = byteLength(count, 1, "count");
    const { core, linear } = this.pool;
    const done = core.poolPreheat(this.pool.liveHandle(), items) !== 0;
    if (linear.pendingGrowth) linear.flushGrowth();
    if (!done) throw new OutOfMemoryError(items * this.length * kindInfo(this.kind).size, " while preheating a MemoryPool");
  }

  /** Frees every item at once, treating the memory as ArenaAllocator.reset(mode) does (its return). */
  reset(mode: ResetMode): boolean {
    const [coreMode, limit] = resetArguments(mode);
    const { core, linear } = this.pool;
    const done = core.poolReset(this.pool.liveHandle(), coreMode, limit) !== 0;
    if (linear.pendingGrowth) linear.flushGrowth();
    return done;
  }

  /** Gives every item back to the backing allocator. The pool is unusable after. */
  deinit(): void {
    this.pool.core.destroy(this.pool.ownHandle());
    this.pool.retire();
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}
