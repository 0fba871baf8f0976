// Random churn over a fixed number of live allocations: the state one peer's GPA workloads run on.
// Every operation takes the next slot and size from the shared random streams; a new block gets
// its first and last byte written and one read back, the same for every peer.

import { STREAM_MASK, type Streams } from "./mixed-sizes";
import type { RawHeap } from "./raw-heaps";

/** A position in the shared random streams, wrapping at their end: each operation's slot and size. */
class StreamCursor {
  /** The live allocation the current operation touches. */
  slot = 0;
  /** The size the current operation allocates. */
  size = 0;
  private at = 0;

  constructor(private readonly streams: Streams) {}

  /** Moves to the next operation. */
  next(): this {
    const at = this.at;
    this.slot = this.streams.slots[at];
    this.size = this.streams.sizes[at];
    this.at = (at + 1) & STREAM_MASK;
    return this;
  }
}

/** A peer's live blocks as byte offsets into its heap. */
export class RawChurn {
  private readonly ptrs: Uint32Array;
  private readonly lens: Uint32Array;
  private u8: Uint8Array;
  private readonly cursor: StreamCursor;
  /** Slots picked for the next freeVictims(), and whether it has freed them since. */
  private readonly victims: Uint32Array;
  private victimCount = 0;
  private victimsFreed = false;
  private readonly picked: Uint8Array;

  constructor(readonly heap: RawHeap, private readonly streams: Streams) {
    this.ptrs = new Uint32Array(streams.live);
    this.lens = new Uint32Array(streams.live);
    this.victims = new Uint32Array(streams.live);
    this.picked = new Uint8Array(streams.live);
    this.cursor = new StreamCursor(streams);
    this.u8 = heap.view();
  }

  /** Fills every slot; call once, before anything else. */
  fill(): void {
    for (let slot = 0; slot < this.streams.live; slot++) this.place(slot, this.streams.sizes[slot & STREAM_MASK]);
  }

  /** `count` times: free a random live block and allocate a new one of a random size. */
  pairs(count: number): number {
    this.restoreVictims();
    let checksum = 0;
    for (let i = 0; i < count; i++) {
      const { slot, size } = this.cursor.next();
      this.heap.free(this.ptrs[slot], this.lens[slot]);
      checksum += this.place(slot, size);
    }
    return checksum;
  }

  /** `count` times: realloc a random live block to a random size. */
  reallocs(count: number): number {
    this.restoreVictims();
    let checksum = 0;
    for (let i = 0; i < count; i++) {
      const { slot, size } = this.cursor.next();
      const ptr = this.heap.realloc(this.ptrs[slot], this.lens[slot], size);
      this.ptrs[slot] = ptr;
      this.lens[slot] = size;
      checksum += this.touch(ptr, size, i);
    }
    return checksum;
  }

  /** Untimed set-up of freeVictims(): restores what it freed last, picks `count` distinct live slots. */
  pickVictims(count: number): void {
    this.restoreVictims();
    for (let i = 0; i < this.victimCount; i++) this.picked[this.victims[i]] = 0;
    this.victimCount = 0;
    while (this.victimCount < count) {
      const { slot } = this.cursor.next();
      if (this.picked[slot] === 0) {
        this.picked[slot] = 1;
        this.victims[this.victimCount++] = slot;
      }
    }
  }

  /** Frees the slots pickVictims() picked; the next operation of any kind reallocates them first. */
  freeVictims(): number {
    let checksum = 0;
    for (let i = 0; i < this.victimCount; i++) {
      const slot = this.victims[i];
      this.heap.free(this.ptrs[slot], this.lens[slot]);
      checksum += this.lens[slot];
    }
    this.victimsFreed = true;
    return checksum;
  }

  /**
   * Reads the first byte of each picked block, freeing nothing: the memory traffic any free of
   * those blocks costs at least, to tell cache misses from the allocator's own work.
   */
  readVictims(): number {
    const u8 = this.u8;
    let checksum = 0;
    for (let i = 0; i < this.victimCount; i++) checksum += u8[this.ptrs[this.victims[i]]];
    return checksum;
  }

  /** Sum of the live blocks' requested sizes. */
  requestedBytes(): number {
    let total = 0;
    for (let slot = 0; slot < this.streams.live; slot++) total += this.lens[slot];
    return total;
  }

  private restoreVictims(): void {
    if (!this.victimsFreed) return;
    this.victimsFreed = false;
    for (let i = 0; i < this.victimCount; i++) {
      this.place(this.victims[i], this.cursor.next().size);
    }
  }

  /** Allocates a block of `size` for `slot`, which holds none, and touches it. */
  private place(slot: number, size: number): number {
    const ptr = this.heap.alloc(size);
    this.ptrs[slot] = ptr;
    this.lens[slot] = size;
    return this.touch(ptr, size, slot);
  }

  private touch(ptr: number, len: number, value: number): number {
    let u8 = this.u8;
    if (ptr + len > u8.length) u8 = this.u8 = this.heap.view();
    u8[ptr] = value;
    u8[ptr + len - 1] = value;
    return u8[ptr];
  }
}

/** The same churn with a new Uint8Array per block; a free is dropping it for the collector. */
export class TypedChurn {
  private readonly blocks: Uint8Array[];
  private readonly cursor: StreamCursor;

  constructor(private readonly streams: Streams) {
    this.blocks = new Array<Uint8Array>(streams.live).fill(new Uint8Array(0));
    this.cursor = new StreamCursor(streams);
  }

  fill(): void {
    for (let slot = 0; slot < this.streams.live; slot++) this.place(slot, this.streams.sizes[slot & STREAM_MASK]);
  }

  pairs(count: number): number {
    let checksum = 0;
    for (let i = 0; i < count; i++) {
      const { slot, size } = this.cursor.next();
      checksum += this.place(slot, size);
    }
    return checksum;
  }

  reallocs(count: number): number {
    let checksum = 0;
    for (let i = 0; i < count; i++) {
      const { slot, size } = this.cursor.next();
      const old = this.blocks[slot];
      const block = new Uint8Array(size);
      block.set(old.length <= size ? old : old.subarray(0, size));
      this.blocks[slot] = block;
      checksum += touch(block, i);
    }
    return checksum;
  }

  private place(slot: number, size: number): number {
    const block = new Uint8Array(size);
    this.blocks[slot] = block;
    return touch(block, slot);
  }
}

function touch(block: Uint8Array, value: number): number {
  block[0] = value;
  block[block.length - 1] = value;
  return block[0];
}
