// The allocator stacks a trial sets up: every composition the library promises (API.md: "the
// backing allocator can be any Allocator"), each with the page allocator beside it as a user too.
import {
  ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, Heap, type Allocator,
} from "../src/index";

export type UserKind = "gpa" | "arena" | "fba" | "page";

/** An allocator the trial allocates from directly. */
export interface User {
  name: string;
  kind: UserKind;
  allocator: Allocator;
  /** Request lengths typical of this allocator, small to large. */
  sizes: readonly number[];
  /** Reset keeps nothing of the others alive: only leaves may be reset. */
  resettable: boolean;
}

export interface Stack {
  name: string;
  heap: Heap;
  users: User[];
  gpas: { name: string; gpa: GeneralPurposeAllocator; safety: boolean }[];
  arenas: { name: string; arena: ArenaAllocator }[];
  fba: { name: string; fba: FixedBufferAllocator; arena: string } | null;
  /** Ends every allocator, leaves first. */
  deinit(): void;
}

export const STACKS = ["gpa-safe>arena>fba", "gpa-unsafe>arena>fba", "arena>arena", "arena>gpa-safe", "arena>gpa-unsafe"] as const;
export type StackName = (typeof STACKS)[number];

const GPA_SIZES = [8, 16, 24, 48, 64, 100, 256, 1000, 4000, 20000, 40000, 100000];
const ARENA_SIZES = [8, 40, 200, 3000, 20000, 70000];
const FBA_SIZES = [8, 16, 64, 200];
const PAGE_SIZES = [65536, 131072];
/** The fixed buffer's backing view, from the arena under it. */
const FBA_BYTES = 4096;

/** A heap small enough that runaway growth from a broken word ends in OutOfMemoryError quickly. */
function trialHeap(): Heap {
  return Heap.create({ viewStrategy: "plain", initialBytes: 1 << 20, maximumBytes: 48 << 20 });
}

const pageUser = (heap: Heap): User =>
  ({ name: "page", kind: "page", allocator: heap.pageAllocator, sizes: PAGE_SIZES, resettable: false });

/** A GPA kept quiet about leaks: a broken word may make it report any number of them. */
function quietGpa(safety: boolean, backing: Allocator): GeneralPurposeAllocator {
  return new GeneralPurposeAllocator({ safety, backing, onLeak: () => {} });
}

function gpaArenaFba(heap: Heap, name: StackName, safety: boolean): Stack {
  const gpa = quietGpa(safety, heap.pageAllocator);
  const arena = new ArenaAllocator(gpa.allocator());
  const fba = new FixedBufferAllocator(arena.allocator().alloc("u8", FBA_BYTES));
  return {
    name, heap,
    users: [
      { name: "gpa", kind: "gpa", allocator: gpa.allocator(), sizes: GPA_SIZES, resettable: false },
      { name: "arena", kind: "arena", allocator: arena.allocator(), sizes: ARENA_SIZES, resettable: true },
      { name: "fba", kind: "fba", allocator: fba.allocator(), sizes: FBA_SIZES, resettable: true },
      pageUser(heap),
    ],
    gpas: [{ name: "gpa", gpa, safety }],
    arenas: [{ name: "arena", arena }],
    fba: { name: "fba", fba, arena: "arena" },
    deinit: () => { arena.deinit(); gpa.deinit(); },
  };
}

function arenaArena(heap: Heap): Stack {
  const outer = new ArenaAllocator(heap.pageAllocator);
  const inner = new ArenaAllocator(outer.allocator());
  return {
    name: "arena>arena", heap,
    users: [
      { name: "outer", kind: "arena", allocator: outer.allocator(), sizes: ARENA_SIZES, resettable: false },
      { name: "inner", kind: "arena", allocator: inner.allocator(), sizes: ARENA_SIZES, resettable: true },
      pageUser(heap),
    ],
    gpas: [],
    arenas: [{ name: "outer", arena: outer }, { name: "inner", arena: inner }],
    fba: null,
    deinit: () => { inner.deinit(); outer.deinit(); },
  };
}

function arenaGpa(heap: Heap, name: StackName, safety: boolean): Stack {
  const arena = new ArenaAllocator(heap.pageAllocator);
  const gpa = quietGpa(safety, arena.allocator());
  return {
    name, heap,
    users: [
      { name: "arena", kind: "arena", allocator: arena.allocator(), sizes: ARENA_SIZES, resettable: false },
      { name: "gpa", kind: "gpa", allocator: gpa.allocator(), sizes: GPA_SIZES, resettable: false },
      pageUser(heap),
    ],
    gpas: [{ name: "gpa", gpa, safety }],
    arenas: [{ name: "arena", arena }],
    fba: null,
    deinit: () => { gpa.deinit(); arena.deinit(); },
  };
}

export function buildStack(name: StackName): Stack {
  const heap = trialHeap();
  switch (name) {
    case "gpa-safe>arena>fba": return gpaArenaFba(heap, name, true);
    case "gpa-unsafe>arena>fba": return gpaArenaFba(heap, name, false);
    case "arena>arena": return arenaArena(heap);
    case "arena>gpa-safe": return arenaGpa(heap, name, true);
    case "arena>gpa-unsafe": return arenaGpa(heap, name, false);
  }
}
