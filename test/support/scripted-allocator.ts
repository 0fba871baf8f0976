// A defineAllocator() allocator for tests: it passes every call to `under` (the page allocator by
// default), records it, keeps the bytes it holds, and can be told to throw, refuse, or answer
// garbage at a given call.

import { defineAllocator, type Allocator, type Heap } from "../../src/index";

export type CallName = "alloc" | "resize" | "remap" | "free";

export interface Call {
  name: CallName;
  args: number[];
}

/** What a scripted call does instead of passing on: its answer, or a throw when it is a function that throws. */
type Script = (...args: number[]) => unknown;

export interface Scripted {
  a: Allocator;
  calls: Call[];
  /** Bytes handed out and not yet freed, by offset. */
  live: Map<number, number>;
  /** Replaces the `index`-th (0-based, counted from now) call named `name` with `script`. */
  at(name: CallName, index: number, script: Script): void;
  /** Replaces every call named `name` from now on with `script`. */
  always(name: CallName, script: Script): void;
  calledTimes(name: CallName): number;
}

export function scripted(heap: Heap, under: Allocator = heap.pageAllocator, withRemap = false): Scripted {
  const calls: Call[] = [];
  const live = new Map<number, number>();
  const once = new Map<CallName, { remaining: number; script: Script }>();
  const forever = new Map<CallName, Script>();
  const replaced = (name: CallName): Script | undefined => {
    const pending = once.get(name);
    if (pending !== undefined && pending.remaining-- === 0) {
      once.delete(name);
      return pending.script;
    }
    return forever.get(name);
  };
  const a = defineAllocator(heap, {
    alloc(len, align) {
      calls.push({ name: "alloc", args: [len, align] });
      const script = replaced("alloc");
      if (script !== undefined) return script(len, align) as number;
      const ptr = under.rawAlloc(len, align);
      if (ptr !== 0) live.set(ptr, len);
      return ptr;
    },
    resize(ptr, len, newLen, align) {
      calls.push({ name: "resize", args: [ptr, len, newLen, align] });
      const script = replaced("resize");
      if (script !== undefined) return script(ptr, len, newLen, align) as boolean;
      const done = under.rawResize(ptr, len, newLen, align);
      if (done) live.set(ptr, newLen);
      return done;
    },
    ...(withRemap ? {
      remap(ptr: number, len: number, newLen: number, align: number) {
        calls.push({ name: "remap", args: [ptr, len, newLen, align] });
        const script = replaced("remap");
        if (script !== undefined) return script(ptr, len, newLen, align) as number;
        const moved = under.rawRemap(ptr, len, newLen, align);
        if (moved !== 0) {
          live.delete(ptr);
          live.set(moved, newLen);
        }
        return moved;
      },
    } : {}),
    free(ptr, len, align) {
      calls.push({ name: "free", args: [ptr, len, align] });
      const script = replaced("free");
      if (script !== undefined) {
        script(ptr, len, align);
        return;
      }
      if (live.get(ptr) !== len) throw new Error(`scripted allocator: free of ${len} bytes at ${ptr}, which it holds as ${live.get(ptr)}`);
      under.rawFree(ptr, len, align);
      live.delete(ptr);
    },
  });
  return {
    a,
    calls,
    live,
    at: (name, index, script) => { once.set(name, { remaining: index, script }); },
    always: (name, script) => { forever.set(name, script); },
    calledTimes: (name) => calls.filter((call) => call.name === name).length,
  };
}

/** A script that throws `error`. */
export const throwing = (error: unknown): Script => () => { throw error; };
