// ArenaAllocator: allocate many, free all at once. The chunks and the bump pointer live in the
// core (assembly/arena.ts); this class is a handle with Zig's API.

import type { Allocator, Heap } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { byteLength, describeValue } from "./checks";
import { HeapCorruptionError } from "./errors";
import { ARENA_REGION, ResetMode as CoreResetMode, Status } from "../bindings/abi.generated";

/** How reset() treats the arena's memory; Zig's ArenaAllocator.ResetMode. */
export type ResetMode = "free_all" | "retain_capacity" | { retain_with_limit: number };


/**
 * A bump allocator over chunks from a backing allocator. Allocation bumps a pointer; `free` and
 * `resize` act only on the last allocation; `reset()` or `deinit()` frees everything at once.
 *
 * @example
 * using arena = new ArenaAllocator(heap.pageAllocator);
 * const scratch = arena.allocator();
 * for (const batch of batches) {
 *   const tmp = scratch.alloc("f64", batch.length);   // nanoseconds, no garbage
 *   // … work in tmp …
 *   arena.reset("retain_capacity");                   // later rounds never ask the backing allocator
 * }
 */
export class ArenaAllocator implements Disposable {
  private readonly arena: CoreAllocator<Heap>;

  constructor(backing: Allocator) {
    const parent = coreAllocatorOf(backing, "the arena's backing allocator");
    this.arena = parent.child(parent.core.arenaInit(parent.liveHandle()), "ArenaAllocator", ARENA_REGION);
  }

  /** Zig's spelling of the constructor. */
  static init(backing: Allocator): ArenaAllocator {
    return new ArenaAllocator(backing);
  }

  /** The Allocator interface of this arena (the same object every time). */
  allocator(): Allocator {
    return this.arena;
  }

  /**
   * Frees every allocation. "free_all" gives every chunk back; "retain_capacity" keeps
   * queryCapacity() bytes merged into one chunk; { retain_with_limit: n } keeps at most n bytes.
   * Returns false only if the backing allocator could not make the merged chunk; the arena is
   * still usable then. Damaged chunk headers: HeapCorruptionError, and nothing is freed.
   */
  reset(mode: ResetMode): boolean {
    // The mode first: a retain_with_limit getter may deinit() the arena.
    const [coreMode, limit] = resetArguments(mode);
    const handle = this.arena.liveHandle();
    const { core, linear } = this.arena;
    // Retaining capacity makes a merged chunk, which may grow memory.
    const done = core.arenaReset(handle, coreMode, limit) !== 0;
    if (linear.pendingGrowth) linear.flushGrowth();
    if (!done) this.throwIfCorrupt();
    return done;
  }

  /** Bytes the arena can hand out before it must ask its backing allocator again. */
  queryCapacity(): number {
    const capacity = this.arena.core.arenaCapacity(this.arena.liveHandle()) >>> 0;
    if (capacity === 0) this.throwIfCorrupt();
    return capacity;
  }

  /**
   * Frees every chunk to the backing allocator. The arena and its allocator are unusable after,
   * even when damaged chunk headers (HeapCorruptionError) kept the chunks from being freed.
   */
  deinit(): void {
    this.arena.core.destroy(this.arena.ownHandle());
    this.arena.retire();
    this.throwIfCorrupt();
  }

  /** HeapCorruptionError if the core's last call found the chunk list damaged. */
  private throwIfCorrupt(): void {
    const { core } = this.arena;
    if (core.lastStatus() === Status.CORRUPTION) throw new HeapCorruptionError(core.lastAddress() >>> 0);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** The core's mode and limit for `mode`; TypeError for anything that is not a ResetMode. */
export function resetArguments(mode: ResetMode): [number, number] {
  if (mode === "free_all") return [CoreResetMode.FREE_ALL, 0];
  if (mode === "retain_capacity") return [CoreResetMode.RETAIN_CAPACITY, 0];
  if (typeof mode === "object" && mode !== null && "retain_with_limit" in mode) {
    return [CoreResetMode.RETAIN_WITH_LIMIT, byteLength(mode.retain_with_limit, 1, "retain_with_limit")];
  }
  throw new TypeError(`reset mode must be "free_all", "retain_capacity" or { retain_with_limit: bytes }, got ${describeValue(mode)}`);
}
