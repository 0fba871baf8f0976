// ArenaAllocator: allocate many, free all at once. The chunks and the bump pointer live in the
// core (assembly/arena.ts); this class is a handle with Zig's API.

import type { Allocator, Heap } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { byteLength, describeValue } from "./checks";
import { HeapCorruptionError } from "./errors";
import { ArenaCheckpoint } from "./arena-checkpoint";
import { recycleOption, type RecycleOptions } from "./view-cache";
import { ARENA_REGION, ResetMode as CoreResetMode, Status } from "../bindings/abi.generated";

/** How reset() treats the arena's memory; Zig's ArenaAllocator.ResetMode. */
export type ResetMode = "free_all" | "retain_capacity" | { retain_with_limit: number };

/** Options of `new ArenaAllocator(backing, options)`. */
export type ArenaOptions = RecycleOptions;

/** What reset() fills the memory it keeps with under safety: the GPA's 0xAA. */
const POISON = 0xAA;


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
 *
 * After a reset, an allocation with the same kind, length and offset as the one at the same
 * position in the previous scope gets the same view object back (recycled views), so a loop like
 * this one constructs no view after its first round. `{ recycleViews: false }` turns that off; it
 * is off by default when the backing allocator is (through any chain of arenas) a
 * GeneralPurposeAllocator with safety on, and reset() then fills the memory it keeps with 0xAA, so
 * that a view held across reset reads garbage instead of the next scope's data.
 */
export class ArenaAllocator implements Disposable {
  private readonly arena: CoreAllocator<Heap>;
  /** Under safety (a GPA with safety behind the backing allocator): reset() poisons with 0xAA. */
  private readonly poison: boolean;

  constructor(backing: Allocator, options?: ArenaOptions) {
    const parent = coreAllocatorOf(backing, "the arena's backing allocator");
    // Read once, before the backing's handle is taken: a getter may deinit() the backing.
    const recycle = recycleOption(options, "arena");
    this.arena = parent.child(parent.core.arenaInit(parent.liveHandle()), "ArenaAllocator", ARENA_REGION);
    this.poison = parent.underSafety();
    if (recycle ?? !this.poison) this.arena.recycleViews();
    parent.keepNewest(this);
  }

  /** Zig's spelling of the constructor. */
  static init(backing: Allocator, options?: ArenaOptions): ArenaAllocator {
    return new ArenaAllocator(backing, options);
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
   *
   * Every view handed out before is invalid after. With recycled views, the allocation at the same
   * position in the next scope may hand out that very view object again; under safety, reset()
   * fills the newest chunk's used bytes, and all of the chunk it keeps, with 0xAA.
   */
  reset(mode: ResetMode): boolean {
    // The mode first: a retain_with_limit getter may deinit() the arena.
    const [coreMode, limit] = resetArguments(mode);
    const handle = this.arena.liveHandle();
    const { core, linear } = this.arena;
    // The chunks that go back to the backing allocator are its to poison (a GPA with safety does).
    if (this.poison) this.arena.fillRegion(POISON, false);
    // Retaining capacity makes a merged chunk, which may grow memory.
    const done = core.arenaReset(handle, coreMode, limit) !== 0;
    this.arena.restartViews();
    if (this.poison) this.arena.fillRegion(POISON, true);
    if (linear.pendingGrowth) linear.flushGrowth();
    if (!done) this.throwIfCorrupt();
    return done;
  }

  /**
   * Where the arena stands now, to rewind to with restore(): bumpalo's checkpoint. Checkpoints
   * restore in LIFO order; a reset makes every earlier one stale.
   */
  checkpoint(): ArenaCheckpoint {
    return ArenaCheckpoint.of(this.arena);
  }

  /**
   * Rewinds to `checkpoint`: every allocation made since is freed, and the chunks opened since go
   * back to the backing allocator. A stale checkpoint (older than a reset, or later than one
   * restored since) or another arena's is an InvalidFreeError, and nothing changes.
   */
  restore(checkpoint: ArenaCheckpoint): void {
    if (!(checkpoint instanceof ArenaCheckpoint)) throw new TypeError(`restore() takes a checkpoint from checkpoint(), got ${describeValue(checkpoint)}`);
    checkpoint.restoreIn(this.arena);
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
