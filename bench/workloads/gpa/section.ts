// The GPA section: random alloc+free pairs, reallocs and frees over 1,000 to 1,000,000 live
// allocations of mixed sizes, GPA (safety off and on) against TLSF, @thi.ng/malloc and plain
// typed arrays; and the bytes each holds against the bytes its live allocations requested.

import type { Cell, Extra, Group, Peer, Reference, Section } from "../../harness/cell";
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
  const raw: RawPeer[] = [
    rawPeer("gpa-fast", "wasm-arena GPA safety:false", "rawAlloc, rawFree; realloc: rawRemap or move", new GpaHeap(false)),
    rawPeer("gpa-safe", "wasm-arena GPA safety:true", "rawAlloc, rawFree; realloc: rawRemap or move", new GpaHeap(true)),
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

const liveLabel = (live: number) => `${live.toLocaleString("en")} live`;

function rawCell(population: Population, peer: RawPeer, op: string, call: () => number, ops: number,
  beforeEachCall?: () => void): Cell {
  return {
    id: `gpa/${population.live}/${op}/${peer.key}`, peer: peer.peer, how: peer.how, opsPerCall: ops,
    call, beforeEachCall, linearBytes: () => peer.churn.heap.linearBytes(),
  };
}

function typedCell(population: Population, op: string, call: () => number): Cell {
  return { id: `gpa/${population.live}/${op}/plain`, peer: "plain typed arrays", how: "new Uint8Array(size)",
    opsPerCall: OPS_PER_CALL, call, linearBytes: () => 0 };
}

function references(live: number, op: string, withTyped: boolean): Reference[] {
  const tlsf = { label: "TLSF", cellId: `gpa/${live}/${op}/tlsf` };
  return withTyped ? [{ label: "plain typed arrays", cellId: `gpa/${live}/${op}/plain` }, tlsf] : [tlsf];
}

/** The three groups of one live count; the first builds the population, the last releases it. */
function groupsFor(live: number): (() => Group)[] {
  let population: Population | undefined;
  const get = (): Population => (population ??= populate(live));
  const afterRound = () => sampleMemory(get());
  return [
    () => {
      const p = get();
      return {
        variant: `${liveLabel(live)} · alloc+free pair`, unit: "pair", afterRound,
        cells: [typedCell(p, "pair", () => p.typed.pairs(OPS_PER_CALL)),
          ...p.raw.map((peer) => rawCell(p, peer, "pair", () => peer.churn.pairs(peer.ops), peer.ops))],
        references: references(live, "pair", true),
      };
    },
    () => {
      const p = get();
      return {
        variant: `${liveLabel(live)} · realloc`, unit: "realloc", afterRound,
        cells: [typedCell(p, "realloc", () => p.typed.reallocs(OPS_PER_CALL)),
          ...p.raw.map((peer) => rawCell(p, peer, "realloc", () => peer.churn.reallocs(peer.ops), peer.ops))],
        references: references(live, "realloc", true),
      };
    },
    () => {
      const p = get();
      const victims = (peer: RawPeer) => Math.min(peer.ops, live >> 2);
      const first = p.raw[0];
      const reads: Cell = {
        id: `gpa/${live}/free/reads`, peer: "JS reads (memory floor)", how: `first byte of each block, in ${first.peer}'s heap`,
        opsPerCall: victims(first), call: () => first.churn.readVictims(),
        beforeEachCall: () => first.churn.pickVictims(victims(first)), linearBytes: () => 0,
      };
      return {
        variant: `${liveLabel(live)} · free`, unit: "free", afterRound,
        cells: [reads, ...p.raw.map((peer) => rawCell(p, peer, "free", () => peer.churn.freeVictims(), victims(peer),
          () => peer.churn.pickVictims(victims(peer))))],
        references: [...references(live, "free", false), { label: "memory floor", cellId: `gpa/${live}/free/reads` }],
        extras: () => [memoryTable(p)],
        dispose: () => { population = undefined; },
      };
    },
  ];
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
