// The allocators the GPA workloads compare, behind one small interface of raw byte offsets: each
// adapter is what a user of that allocator writes, one call into the allocator per operation
// where its API allows.

import { GeneralPurposeAllocator, type Allocator, type Heap } from "wasm-arena";
import { benchHeap } from "../../harness/strategy";
import { MemPool } from "@thi.ng/malloc";
import { outOfMemory } from "../../peers/out-of-memory";
import { createTlsf, type TlsfModule } from "../../peers/tlsf";

export interface RawHeap {
  /** `len` bytes, 8-byte aligned at least; throws when out of memory. */
  alloc(len: number): number;
  free(ptr: number, len: number): void;
  /** Resizes or moves the block, keeping min(len, newLen) bytes; its address after. */
  realloc(ptr: number, len: number, newLen: number): number;
  /** A view of all of memory as it is now (memory may have grown since the last one). */
  view(): Uint8Array;
  /** Bytes the allocator holds from where it gets memory: pages, linear memory, pool top. */
  heldBytes(): number;
  /** Bytes of WebAssembly memory or ArrayBuffer behind the allocator. */
  linearBytes(): number;
}

const ALIGN = 8;

/**
 * wasm-arena's GPA on its own heap of `initialBytes`; a realloc is rawRealloc, one call into the
 * core. A heap large enough never to grow keeps a "plain" run from detaching a buffer, which would
 * slow every typed-array access of the process from then on (bench/README.md).
 */
export class GpaHeap implements RawHeap {
  readonly heap: Heap;
  private readonly allocator: Allocator;

  constructor(safety: boolean, initialBytes: number) {
    this.heap = benchHeap({ initialBytes });
    this.allocator = new GeneralPurposeAllocator({ safety, heap: this.heap }).allocator();
  }

  alloc(len: number): number {
    const ptr = this.allocator.rawAlloc(len, ALIGN);
    return ptr !== 0 ? ptr : outOfMemory(len);
  }

  free(ptr: number, len: number): void {
    this.allocator.rawFree(ptr, len, ALIGN);
  }

  realloc(ptr: number, len: number, newLen: number): number {
    const moved = this.allocator.rawRealloc(ptr, len, newLen, ALIGN);
    return moved !== 0 ? moved : outOfMemory(newLen);
  }

  view(): Uint8Array {
    return this.heap.u8;
  }

  heldBytes(): number {
    return this.heap.stats().pagesInUseBytes;
  }

  linearBytes(): number {
    return this.heap.memory.buffer.byteLength;
  }
}

/** AssemblyScript's TLSF in its own module; its memory is all it holds. */
export class TlsfHeap implements RawHeap {
  private readonly tlsf: TlsfModule = createTlsf();

  alloc(len: number): number {
    return this.tlsf.alloc(len);
  }

  free(ptr: number): void {
    this.tlsf.free(ptr);
  }

  realloc(ptr: number, _len: number, newLen: number): number {
    return this.tlsf.realloc(ptr, newLen);
  }

  view(): Uint8Array {
    return new Uint8Array(this.tlsf.memory.buffer);
  }

  heldBytes(): number {
    return this.tlsf.memory.buffer.byteLength;
  }

  linearBytes(): number {
    return this.tlsf.memory.buffer.byteLength;
  }
}

/** @thi.ng/malloc's MemPool over one ArrayBuffer of `bytes`; it holds up to its top address. */
export class ThingHeap implements RawHeap {
  private readonly pool: MemPool;
  private readonly u8: Uint8Array;

  constructor(bytes: number) {
    this.pool = new MemPool({ size: bytes });
    this.u8 = new Uint8Array(this.pool.buf);
  }

  alloc(len: number): number {
    const ptr = this.pool.malloc(len);
    return ptr !== 0 ? ptr : outOfMemory(len);
  }

  free(ptr: number): void {
    if (!this.pool.free(ptr)) throw new Error(`MemPool: ${ptr} is not a live block`);
  }

  realloc(ptr: number, _len: number, newLen: number): number {
    const moved = this.pool.realloc(ptr, newLen);
    return moved !== 0 ? moved : outOfMemory(newLen);
  }

  view(): Uint8Array {
    return this.u8;
  }

  heldBytes(): number {
    return this.pool.stats().top;
  }

  linearBytes(): number {
    return this.pool.buf.byteLength;
  }
}
