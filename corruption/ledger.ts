// The blocks the trial holds, by the allocator that handed each out to the trial. A block handed
// out over a live one, over the page allocator's own metadata or over an allocator's record is
// the outcome the fuzzer exists to find: memory corruption that escapes into user data.
//
// Blocks of different allocators may not overlap either: an arena's chunk or a fixed buffer's
// backing view is never in the ledger (the arena or buffer owns it, not the trial), so every
// pair of entries must be disjoint.

export interface Block {
  owner: string;
  ptr: number;
  len: number;
  align: number;
}

export class Overlap extends Error {
  constructor(readonly block: Block, readonly other: string) {
    super(`${block.owner} handed out [${block.ptr}, +${block.len}) over ${other}`);
  }
}

export class Ledger {
  private readonly live: Block[] = [];
  private readonly reserved: { what: string; start: number; end: number }[] = [];

  /** Memory no allocation may ever return: metadata below the first page, allocator records. */
  reserve(what: string, start: number, len: number): void {
    this.reserved.push({ what, start, end: start + len });
  }

  /** Records a block the trial just received; throws Overlap if it lies over anything held. */
  add(owner: string, ptr: number, len: number, align: number): Block {
    const block = { owner, ptr, len, align };
    if (len === 0) return block;
    const end = ptr + len;
    for (const r of this.reserved) {
      if (ptr < r.end && r.start < end) throw new Overlap(block, r.what);
    }
    for (const b of this.live) {
      if (ptr < b.ptr + b.len && b.ptr < end) throw new Overlap(block, `${b.owner}'s block [${b.ptr}, +${b.len})`);
    }
    this.live.push(block);
    return block;
  }

  remove(block: Block): void {
    const i = this.live.indexOf(block);
    if (i >= 0) this.live.splice(i, 1);
  }

  /** Forgets every block of `owner` (an arena reset, a fixed buffer reset or lost buffer). */
  dropOwner(owner: string): void {
    for (let i = this.live.length - 1; i >= 0; i--) if (this.live[i].owner === owner) this.live.splice(i, 1);
  }

  blocksOf(owner: string): Block[] {
    return this.live.filter((b) => b.owner === owner);
  }

  all(): readonly Block[] {
    return this.live;
  }
}
