// README's processBatch, as users write it: per item three temporaries from an arena (u8[64],
// f64[100], i32[50]) through the view API, then one reset per batch. The reset mode rotates
// through all three, so each mode's steady state is measured every third batch.
import { ArenaAllocator, Heap, type ResetMode } from "../src/index";

export const ITEMS = 10_000;
/** Allocations one batch makes. */
export const BATCH_ALLOCS = 3 * ITEMS;
export const RESET_MODES: readonly ResetMode[] = ["retain_capacity", "free_all", { retain_with_limit: 1 << 20 }];

export const modeName = (mode: ResetMode): string => (typeof mode === "string" ? mode : "retain_with_limit");

export class BatchWorkload {
  /** Its own heap: the page allocator's figures then describe the arena alone. */
  readonly heap = Heap.create();
  readonly arena = new ArenaAllocator(this.heap.pageAllocator);
  private batches = 0;

  /** Runs one batch and resets; returns the mode used and a checksum (so the work is not dead code). */
  run(): { mode: ResetMode; checksum: number } {
    const scratch = this.arena.allocator();
    let checksum = 0;
    for (let i = 0; i < ITEMS; i++) {
      const key = scratch.alloc("u8", 64);
      const samples = scratch.alloc("f64", 100);
      const bins = scratch.alloc("i32", 50);
      key[i & 63] = i;
      samples[i % 100] = i * 0.5;
      bins[i % 50] = key[i & 63] + samples[i % 100];
      checksum = (checksum + bins[i % 50]) | 0;
    }
    const mode = RESET_MODES[this.batches++ % RESET_MODES.length];
    this.arena.reset(mode);
    return { mode, checksum };
  }
}
