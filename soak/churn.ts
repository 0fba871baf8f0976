// GPA churn: random allocs and frees of 16 B to 64 KiB (log-uniform) with safety on, and a
// bounded live set, through the raw byte API. The churn keeps its own count of requested bytes,
// which the GPA's totalRequestedBytes must equal exactly.
import { GeneralPurposeAllocator, Heap } from "../src/index";
import { rngFor, type Rng } from "../corruption/rng";

export const MAX_LIVE = 2000;
const MIN_LEN = 16;
const MAX_LEN = 65536;
export const LIVE_BYTES_BOUND = MAX_LIVE * MAX_LEN;

export class ChurnWorkload {
  readonly heap = Heap.create();
  readonly gpa = new GeneralPurposeAllocator({ heap: this.heap, safety: true });
  private readonly rng: Rng;
  private readonly ptrs: number[] = [];
  private readonly lens: number[] = [];
  requestedBytes = 0;

  constructor(seed: number) {
    this.rng = rngFor(seed, 0x50a);
  }

  get liveAllocations(): number { return this.ptrs.length; }

  private length(): number {
    return Math.round(MIN_LEN * Math.pow(MAX_LEN / MIN_LEN, this.rng.below(1 << 20) / (1 << 20)));
  }

  /** `ops` allocs or frees; an alloc only while the live set is under its bound. */
  run(ops: number): void {
    const a = this.gpa.allocator();
    for (let i = 0; i < ops; i++) {
      if (this.ptrs.length < MAX_LIVE && (this.ptrs.length === 0 || this.rng.chance(0.5))) {
        const len = this.length();
        const ptr = a.rawAlloc(len);
        if (ptr === 0) throw new Error(`the churn's GPA ran out of memory at ${this.requestedBytes} live bytes`);
        this.ptrs.push(ptr);
        this.lens.push(len);
        this.requestedBytes += len;
      } else {
        // Swap-remove a random live block: O(1), and frees land anywhere in the live set.
        const j = this.rng.below(this.ptrs.length);
        a.rawFree(this.ptrs[j], this.lens[j]);
        this.requestedBytes -= this.lens[j];
        this.ptrs[j] = this.ptrs[this.ptrs.length - 1];
        this.lens[j] = this.lens[this.lens.length - 1];
        this.ptrs.pop();
        this.lens.pop();
      }
    }
  }
}
