// Arena checkpoints: bumpalo's raw checkpoint. Where an arena stood (its chunk count, the bump's
// end in the newest chunk, the resets so far: assembly/arena.ts, and the position of its next
// recycled view: view-cache.ts), to rewind to in LIFO order.

import type { CoreAllocator } from "./core-allocator";
import { HeapCorruptionError, InvalidFreeError } from "./errors";
import { CheckpointField, Status } from "../bindings/abi.generated";

/** An opaque point in one arena's life, from ArenaAllocator.checkpoint(). */
export class ArenaCheckpoint {
  readonly #arena: CoreAllocator;
  readonly #chunks: number;
  readonly #end: number;
  readonly #resets: number;
  readonly #viewPosition: number;

  private constructor(arena: CoreAllocator, chunks: number, end: number, resets: number) {
    this.#arena = arena;
    this.#chunks = chunks;
    this.#end = end;
    this.#resets = resets;
    this.#viewPosition = arena.viewPosition();
  }

  /** Where `arena` stands now. */
  static of(arena: CoreAllocator): ArenaCheckpoint {
    const { core } = arena;
    const at = core.arenaCheckpoint(arena.liveHandle()) >>> 0;
    if (at === 0) throw new HeapCorruptionError(core.lastAddress() >>> 0);
    // The words lie in the core's own data, which every view of memory covers.
    const words = arena.linear.wholeView<Uint32Array>(Uint32Array), first = at >>> 2;
    return new ArenaCheckpoint(arena, words[first + CheckpointField.CHUNKS], words[first + CheckpointField.END],
      words[first + CheckpointField.RESETS]);
  }

  /**
   * Rewinds `arena` to this point, giving back the chunks opened since. InvalidFreeError, with
   * nothing changed, for another arena's checkpoint or a stale one (taken before a reset, or
   * later than a checkpoint restored since).
   */
  restoreIn(arena: CoreAllocator): void {
    const handle = arena.liveHandle();
    if (arena !== this.#arena) throw new InvalidFreeError("the checkpoint was taken in another arena");
    const { core } = arena;
    const status = core.arenaRestore(handle, this.#chunks, this.#end, this.#resets);
    if (status === Status.CORRUPTION) throw new HeapCorruptionError(core.lastAddress() >>> 0);
    if (status !== Status.OK) {
      throw new InvalidFreeError("the checkpoint is stale: the arena was reset, or rewound to an earlier checkpoint, since it was taken");
    }
    arena.rewindViews(this.#viewPosition);
  }
}
