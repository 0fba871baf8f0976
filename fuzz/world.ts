// The system under test and its model, side by side: every allocator the run made (a node of the
// stack tree, with the model's view of its state) and every live block (what was handed out, and
// the pattern written into it). Ops (execute.ts) change both; checks (checks.ts) compare them.

import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, Heap,
  type Allocator, type ArenaCheckpoint, type KindName, type View, type ViewStrategy } from "../src/index";
import { viewAt } from "./kinds";

export type NodeType = "page" | "gpa" | "arena" | "fba";

export interface AllocNode {
  readonly id: number;
  readonly type: NodeType;
  /** The backing allocator; for an FBA, the allocator its buffer came from. */
  readonly parent: AllocNode | null;
  readonly a: Allocator;
  readonly gpa: GeneralPurposeAllocator | null;
  readonly arena: ArenaAllocator | null;
  readonly fba: FixedBufferAllocator | null;
  readonly safety: boolean;
  limit: number | null;
  /** An FBA's buffer, a block of its parent. */
  readonly buf: Block | null;
  /** The model's FBA end_index: exact, since a fixed buffer is deterministic. */
  fbaEnd: number;
  /** An arena's queryCapacity() when last seen: it may only grow between resets. */
  capacity: number;
  /**
   * An arena's checkpoints, oldest first, each with the blocks live when it was taken and where
   * they lay then: restoring one frees every block made, moved or grown since.
   */
  readonly checkpoints: { readonly cp: ArenaCheckpoint; readonly places: ReadonlyMap<Block, { ptr: number; bytes: number }> }[];
  /** Sum of the live blocks' bytes. */
  liveBytes: number;
  readonly blocks: Set<Block>;
  readonly children: Set<AllocNode>;
}

export interface Block {
  readonly id: number;
  readonly owner: AllocNode;
  readonly kind: KindName;
  n: number;
  bytes: number;
  ptr: number;
  /** The alignment the allocator was asked for (a raw free must repeat it to a safety GPA). */
  align: number;
  /** The view last handed out for it; stale under "plain" after growth until viewOf() renews it. */
  view: View;
  /** An FBA's buffer: other blocks live inside it, so it carries no pattern. */
  container: boolean;
}

export interface RunConfig {
  readonly seed: number;
  readonly strategy: ViewStrategy;
  /** A small heap, so that out of memory is a state the run keeps visiting. */
  readonly maximumBytes: number | null;
}

export class World {
  readonly heap: Heap;
  readonly nodes = new Map<number, AllocNode>();
  readonly blocks = new Map<number, Block>();
  /** Allocators after deinit(), kept to check that they refuse every call. */
  readonly retired: AllocNode[] = [];
  /** Set when a bad call left allocator state that teardown cannot account for. */
  abandoned = false;
  /** FBAs made: each holds a record until collected, so the record pages may stay in use. */
  fbasMade = 0;
  readonly startPagesInUse: number;
  private otherHeapView: Uint8Array | null = null;
  /** How often each kind of event happened: the coverage a summary reports. */
  readonly counts = new Map<string, number>();

  constructor(readonly config: RunConfig) {
    this.heap = Heap.create({ viewStrategy: config.strategy, maximumBytes: config.maximumBytes ?? undefined, initialBytes: 1 << 20 });
    this.startPagesInUse = this.heap.stats().pagesInUseBytes;
    this.addNode({ id: 0, type: "page", parent: null, a: this.heap.pageAllocator });
  }

  count(event: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
  }

  addNode(init: Pick<AllocNode, "id" | "type" | "parent" | "a"> & Partial<AllocNode>): AllocNode {
    const node: AllocNode = {
      gpa: null, arena: null, fba: null, safety: false, limit: null, buf: null,
      fbaEnd: 0, capacity: 0, liveBytes: 0, blocks: new Set(), children: new Set(), checkpoints: [], ...init,
    };
    this.nodes.set(node.id, node);
    node.parent?.children.add(node);
    return node;
  }

  removeNode(node: AllocNode): void {
    this.nodes.delete(node.id);
    node.parent?.children.delete(node);
    if (node.type !== "fba") {
      this.retired.push(node);
      if (this.retired.length > 4) this.retired.shift();
    }
  }

  addBlock(block: Block): void {
    this.blocks.set(block.id, block);
    block.owner.blocks.add(block);
    block.owner.liveBytes += block.bytes;
  }

  removeBlock(block: Block): void {
    this.blocks.delete(block.id);
    block.owner.blocks.delete(block);
    block.owner.liveBytes -= block.bytes;
  }

  /** The block's new length after a resize or realloc. */
  setLength(block: Block, n: number, bytes: number, ptr: number): void {
    block.owner.liveBytes += bytes - block.bytes;
    block.n = n;
    block.bytes = bytes;
    block.ptr = ptr;
    block.view = viewAt(block.kind, this.buffer, ptr, n);
  }

  get buffer(): ArrayBufferLike {
    return this.heap.u8.buffer;
  }

  /**
   * The block's view, current: under "plain" a careful user re-creates a view detached by growth
   * from its (kind, byteOffset, length); under "shared" old views stay valid and are kept.
   */
  viewOf(block: Block): View {
    const view = block.view;
    // A detached view reads length 0, so the model's length decides.
    if (block.n !== 0 && view.buffer.byteLength === 0) block.view = viewAt(block.kind, this.buffer, block.ptr, block.n);
    return block.view;
  }

  /** Whether an allocation from `node` may fail for want of memory rather than by a bug. */
  mayRunOut(node: AllocNode): boolean {
    if (this.config.maximumBytes !== null) return true;
    for (let n: AllocNode | null = node; n !== null; n = n.parent) {
      if (n.type === "fba" || n.limit !== null) return true;
    }
    return false;
  }

  /** Whether `node` is `ancestor` or stacked on it, through backing allocators and FBA buffers. */
  descendsFrom(node: AllocNode, ancestor: AllocNode): boolean {
    for (let n: AllocNode | null = node; n !== null; n = n.parent) if (n === ancestor) return true;
    return false;
  }

  /** A one-page view of another heap, for the foreign-heap bad call. */
  foreignView(): Uint8Array {
    this.otherHeapView ??= Heap.create({ initialBytes: 1 << 16, maximumBytes: 1 << 20 }).pageAllocator.alloc("u8", 64);
    return this.otherHeapView;
  }
}
