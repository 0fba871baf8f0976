// The variants of each real-library workload, over one heap: idiomatic code, the arena without and
// with recycled views, a fixed buffer reset per entity or block (recycling too), withArena per
// frame, the ten-line JavaScript bump, and the hand-preallocated floor. Each variant owns its
// state (world, output), so that every variant computes the same result after the same number
// of frames.

import { ArenaAllocator, FixedBufferAllocator, withArena, type Allocator, type Heap } from "wasm-arena";
import { createWorld, ENTITIES, ENTITY_SCRATCH_BYTES, frameArena, frameIdiomatic, frameScratch, INSTANCE_FLOATS, worldChecksum } from "../../examples/gl-matrix-frame";
import { blockScratchBytes, createFilter, createSignal, filterArena, filterIdiomatic, filterScratch, outputChecksum } from "../../examples/fft-block-filter";
import { frameJsBump, framePreallocated } from "./gl-frame-floors";
import { filterJsBump, filterPreallocated, preallocate } from "./fft-floors";
import { JsBump } from "./js-bump";
import type { Variant, Workload } from "./measure";

/** Hands a frame's instance buffer on (a WebGL upload in the browser); one per variant. */
export type Upload = (instances: Float32Array, floats: number) => void;
export type UploadFor = (variantId: string) => { upload: Upload; notes: () => Record<string, string | number | boolean> };

export const VARIANTS = {
  idiomatic: "idiomatic (create() / new Float64Array)",
  arena: "arena, no recycled views",
  recycled: "arena, recycled views",
  scratch: "fixed buffer reset per entity / block",
  withArena: "withArena per frame",
  jsBump: "ten-line JS bump",
  preallocated: "hand-preallocated (floor)",
} as const;
export type VariantId = keyof typeof VARIANTS;

type ArenaOptions = { recycleViews?: boolean };
const ArenaWithOptions = ArenaAllocator as unknown as new (backing: Allocator, options?: ArenaOptions) => ArenaAllocator;

/** Whether the arena hands out the same view object for the same allocation after a reset. */
function recycles(arena: ArenaAllocator): boolean {
  const scratch = arena.allocator();
  const first = scratch.alloc("f32", 3);
  arena.reset("retain_capacity");
  const again = scratch.alloc("f32", 3);
  arena.reset("retain_capacity");
  return first === again;
}

/**
 * An arena with recycling on or off, told by behaviour rather than by the option's presence: an
 * arena that does not do what was asked is not available (never faked).
 */
export function arenaWith(heap: Heap, recycleViews: boolean): ArenaAllocator | string {
  const arena = new ArenaWithOptions(heap.pageAllocator, { recycleViews });
  if (recycles(arena) === recycleViews) return arena;
  arena.deinit();
  return recycleViews
    ? "not available: this build's ArenaAllocator does not recycle views (issue 11, item 1)"
    : "not available: this build's ArenaAllocator recycles views even with { recycleViews: false }";
}

const backingCalls = (heap: Heap) => {
  const s = heap.stats();
  return s.pageAllocCalls + s.pageResizeCalls + s.pageFreeCalls;
};

/**
 * Backing-allocator calls of one withArena scope making `allocations` allocations of 12 to 64
 * bytes. Measured on a fresh heap and on the heap the workloads used (their arenas' chunks and
 * instance buffers still live), where free pages come in smaller runs.
 */
export function scopeBackingCalls(heap: Heap, allocations: number): number {
  const before = backingCalls(heap);
  withArena(heap.pageAllocator, (scratch) => {
    for (let i = 0; i < allocations; i++) scratch.alloc("f32", [3, 4, 16, 9][i & 3])[0] = i;
  });
  return backingCalls(heap) - before;
}

/**
 * Of the views one scope allocates, how many are the previous scope's objects: two more scopes,
 * untimed, through an allocator that notes every view `scratch` hands out.
 */
function viewsReused(arena: ArenaAllocator, scope: (scratch: Allocator) => void): string {
  const scratch = arena.allocator();
  let current: object[] = [];
  const noting = Object.create(scratch, { alloc: { value: (kind: "f32", n: number) => { const view = scratch.alloc(kind, n); current.push(view); return view; } } }) as Allocator;
  scope(noting);
  arena.reset("retain_capacity");
  const previous = current;
  current = [];
  scope(noting);
  arena.reset("retain_capacity");
  const same = current.filter((view, i) => view === previous[i]).length;
  return `${same} of the ${current.length} views of a frame are the previous frame's objects`;
}

export function glMatrixWorkload(heap: Heap, uploadFor: UploadFor): Workload {
  const make = (id: VariantId, run: (() => { world: ReturnType<typeof createWorld>; frame: () => number; reuse?: () => string }) | string): Variant => {
    if (typeof run === "string") return { id, label: VARIANTS[id], unavailable: run };
    const { world, frame, reuse } = run();
    const { upload, notes } = uploadFor(id);
    let visible = 0;
    return {
      id, label: VARIANTS[id], notes: reuse === undefined ? notes : () => ({ ...notes(), views: reuse() }),
      frame: () => { visible = frame(); upload(world.instances, visible * INSTANCE_FLOATS); return visible; },
      checksum: () => worldChecksum(world, visible),
    };
  };
  // Arena variants hand WebGL a view of the heap: the instance buffer lives in linear memory.
  const heapWorld = () => createWorld(ENTITIES, 1, heap.pageAllocator.alloc("f32", ENTITIES * INSTANCE_FLOATS));
  const arenaRun = (arena: ArenaAllocator | string) => typeof arena === "string" ? arena : () => {
    const world = heapWorld();
    const scratch = arena.allocator();
    return {
      world, frame: () => { const visible = frameArena(world, scratch); arena.reset("retain_capacity"); return visible; },
      reuse: () => viewsReused(arena, (noting) => frameArena(world, noting)),
    };
  };
  return {
    id: "gl-matrix", title: "gl-matrix frame: 10,000 entities, ~11 temporaries of 12–64 B each", frames: 20, gcFrames: 100,
    variants: [
      make("idiomatic", () => { const world = createWorld(); return { world, frame: () => frameIdiomatic(world) }; }),
      make("arena", arenaRun(arenaWith(heap, false))),
      make("recycled", arenaRun(arenaWith(heap, true))),
      make("scratch", () => {
        const world = heapWorld();
        const scratch = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", ENTITY_SCRATCH_BYTES));
        return { world, frame: () => frameScratch(world, scratch) };
      }),
      make("withArena", () => {
        const world = heapWorld();
        const body = (scratch: Allocator) => frameArena(world, scratch);
        return { world, frame: () => withArena(heap.pageAllocator, body) };
      }),
      make("jsBump", () => {
        const world = createWorld();
        const bump = new JsBump(8 << 20);
        return { world, frame: () => { bump.reset(); return frameJsBump(world, bump); } };
      }),
      make("preallocated", () => { const world = createWorld(); return { world, frame: () => framePreallocated(world) }; }),
    ],
  };
}

export function fftWorkload(heap: Heap, n: number): Workload {
  const input = createSignal();
  const make = (id: VariantId, run: (() => (output: Float64Array) => void) | string, reuse?: (output: Float64Array) => string): Variant => {
    if (typeof run === "string") return { id, label: VARIANTS[id], unavailable: run };
    const output = new Float64Array(input.length);
    const pass = run();
    return {
      id, label: VARIANTS[id], frame: () => { pass(output); return output[0]; }, checksum: () => outputChecksum(output),
      notes: reuse === undefined ? undefined : () => ({ views: reuse(output) }),
    };
  };
  const arenaRun = (arena: ArenaAllocator | string) => typeof arena === "string" ? arena : () => {
    const filter = createFilter(n);
    const scratch = arena.allocator();
    return (output: Float64Array) => { filterArena(filter, input, output, scratch); arena.reset("retain_capacity"); };
  };
  const arenaReuse = (arena: ArenaAllocator | string) => typeof arena === "string" ? undefined
    : (output: Float64Array) => viewsReused(arena, (noting) => filterArena(createFilter(n), input, output, noting));
  const blocks = Math.floor((input.length - n) / (n >> 1)) + 1;
  const plain = arenaWith(heap, false);
  const recycling = arenaWith(heap, true);
  return {
    id: `fft-${n}`, title: `fft.js block filter, N=${n}: ${blocks} blocks of ${input.length} samples, 4 temporaries of ${(8 * n / 1024).toFixed(1)}–${(16 * n / 1024).toFixed(1)} KiB each`,
    frames: n === 64 ? 30 : 30, gcFrames: 100,
    variants: [
      make("idiomatic", () => { const filter = createFilter(n); return (output) => filterIdiomatic(filter, input, output); }),
      make("arena", arenaRun(plain), arenaReuse(plain)),
      make("recycled", arenaRun(recycling), arenaReuse(recycling)),
      make("scratch", () => {
        const filter = createFilter(n);
        const scratch = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", blockScratchBytes(n)));
        return (output) => filterScratch(filter, input, output, scratch);
      }),
      make("withArena", () => {
        const filter = createFilter(n);
        return (output) => withArena(heap.pageAllocator, (scratch) => filterArena(filter, input, output, scratch));
      }),
      make("jsBump", () => {
        const filter = createFilter(n);
        const bump = new JsBump(blocks * 56 * n + 4096);
        return (output) => { bump.reset(); filterJsBump(filter, input, output, bump); };
      }),
      make("preallocated", () => {
        const filter = createFilter(n);
        const temporaries = preallocate(n);
        return (output) => filterPreallocated(filter, input, output, temporaries);
      }),
    ],
  };
}
