// The GPA section: random alloc+free pairs, reallocs and frees over 1,000 to 1,000,000 live
// allocations of mixed sizes, GPA (safety off and on) against TLSF, @thi.ng/malloc and plain
// typed arrays; and the bytes each holds against the bytes its live allocations requested.

import type { Cell, Extra, Group, Peer, Section } from "../../harness/cell";
import { streamsFor } from "./mixed-sizes";
import { GpaHeap, TlsfHeap, ThingHeap, type RawHeap } from "./raw-heaps";
import { RawChurn, TypedChurn } from "./churn";

const OPS_PER_CALL = 1024;
const MIB = 2 ** 20;

interface RawPeer {
  key: string;
  peer: Peer;
  how: string;
  churn: RawChurn;
  /** Operations per call: fewer for a peer whose operations cost O(live). */
  ops: number;
  peakRequested: number;
  peakHeld: number;
}

/**
 * A GPA heap's memory for `live` allocations, so that it never grows: the most a GPA held in a run
 * was 175 MiB at 1,000,000 live (RESULTS.md), under 320 bytes each.
 */
const gpaHeapBytes = (live: number): number => Math.max(16 * MIB, live * 320);

/** One live count's peers, filled once and shared by its three groups. */
interface Population {
  live: number;
  typed: TypedChurn;
  raw: RawPeer[];
}

function populate(live: number): Population {
  const streams = streamsFor(live);
  const rawPeer = (key: string, peer: Peer, how: string, heap: RawHeap, ops = OPS_PER_CALL): RawPeer =>
    ({ key, peer, how, churn: new RawChurn(heap, streams), ops, peakRequested: 0, peakHeld: 0 });
  const gpaHow = "rawAlloc, rawFree, rawRealloc";
  const raw: RawPeer[] = [
    rawPeer("gpa-fast", "wasm-arena GPA safety:false", gpaHow, new GpaHeap(false, gpaHeapBytes(live))),
    rawPeer("gpa-safe", "wasm-arena GPA safety:true", gpaHow, new GpaHeap(true, gpaHeapBytes(live))),
    rawPeer("tlsf", "AssemblyScript TLSF", "heap.alloc/free/realloc", new TlsfHeap()),
    // MemPool finds a block to free or realloc by walking its list of live blocks: O(live) each.
    rawPeer("thing", "@thi.ng/malloc MemPool", "malloc/free/realloc", new ThingHeap(Math.max(16 * MIB, live * 640)),
      Math.max(1, Math.round((OPS_PER_CALL * 1000) / live))),
  ];
  const typed = new TypedChurn(streams);
  typed.fill();
  for (const peer of raw) peer.churn.fill();
  const population = { live, typed, raw };
  sampleMemory(population);
  return population;
}

function sampleMemory(population: Population): void {
  for (const peer of population.raw) {
    peer.peakRequested = Math.max(peer.peakRequested, peer.churn.requestedBytes());
    peer.peakHeld = Math.max(peer.peakHeld, peer.churn.heap.heldBytes());
  }
}

function memoryTable(population: Population): Extra {
  return {
    title: `Memory held at ${population.live.toLocaleString("en")} live allocations (peaks, sampled between rounds)`,
    columns: ["peer", "requested by live allocations", "held", "held ÷ requested"],
    rows: population.raw.map((peer) => [peer.peer, `${(peer.peakRequested / MIB).toFixed(1)} MiB`,
      `${(peer.peakHeld / MIB).toFixed(1)} MiB`, (peer.peakHeld / peer.peakRequested).toFixed(2)]),
  };
}

/** The three groups of one live count; the first builds the population, the last releases it. */
function groupsFor(live: number): (() => Group)[] {
  let population: Population | undefined;
  const get = (): Population => (population ??= populate(live));
  const afterRound = () => sampleMemory(get());
  const id = (op: string, key: string) => `gpa/${live}/${op}/${key}`;
  const tlsf = (op: string) => ({ label: "TLSF", cellId: id(op, "tlsf") });
  const rawCell = (peer: RawPeer, op: string, call: () => number, ops: number, beforeEachCall?: () => void): Cell =>
    ({ id: id(op, peer.key), peer: peer.peer, how: peer.how, opsPerCall: ops, call, beforeEachCall,
      linearBytes: () => peer.churn.heap.linearBytes() });
  /** Pairs or reallocs: every peer, plain typed arrays first. */
  const churnGroup = (op: "pair" | "realloc", variant: string) => (): Group => {
    const p = get();
    const run = (churn: RawChurn | TypedChurn, ops: number) => (op === "pair" ? churn.pairs(ops) : churn.reallocs(ops));
    const typed: Cell = { id: id(op, "plain"), peer: "plain typed arrays", how: "new Uint8Array(size)",
      opsPerCall: OPS_PER_CALL, call: () => run(p.typed, OPS_PER_CALL), linearBytes: () => 0 };
    return {
      variant: `${live.toLocaleString("en")} live · ${variant}`, unit: op, afterRound,
      cells: [typed, ...p.raw.map((peer) => rawCell(peer, op, () => run(peer.churn, peer.ops), peer.ops))],
      references: [{ label: "plain typed arrays", cellId: id(op, "plain") }, tlsf(op)],
    };
  };
  const freeGroup = (): Group => {
    const p = get();
    const victims = (peer: RawPeer) => Math.min(peer.ops, live >> 2);
    const first = p.raw[0];
    const reads: Cell = {
      id: id("free", "reads"), peer: "JS reads (memory floor)", how: `first byte of each block, in ${first.peer}'s heap`,
      opsPerCall: victims(first), call: () => first.churn.readVictims(),
      beforeEachCall: () => first.churn.pickVictims(victims(first)), linearBytes: () => 0,
    };
    return {
      variant: `${live.toLocaleString("en")} live · free`, unit: "free", afterRound,
      cells: [reads, ...p.raw.map((peer) => rawCell(peer, "free", () => peer.churn.freeVictims(), victims(peer),
        () => peer.churn.pickVictims(victims(peer))))],
      references: [tlsf("free"), { label: "memory floor", cellId: id("free", "reads") }],
      extras: () => [memoryTable(p)],
      dispose: () => { population = undefined; },
    };
  };
  return [churnGroup("pair", "alloc+free pair"), churnGroup("realloc", "realloc"), freeGroup];
}

export function gpaSection(lives: number[]): Section {
  return {
    id: "gpa",
    title: "GeneralPurposeAllocator",
    description: "Random churn over a fixed number of live allocations of mixed sizes (16 B to 64 KiB, "
      + "small ones most common, mean about 160 B), raw byte offsets: an alloc+free pair frees a random "
      + "live block and allocates a new one; a realloc resizes a random live block to a new random size; "
      + "a free frees distinct random live blocks (they are reallocated, untimed, before the next call); "
      + "beside the frees, reading the first byte of the same blocks gives the memory floor, the cache and "
      + "TLB misses any free of them pays. "
      + "Every new block has its first and last byte written. Plain typed arrays do the same with a new "
      + "Uint8Array per block; their frees cost nothing at the call and everything in the collector.",
    groups: lives.flatMap(groupsFor),
  };
}
