// The checks the browser page runs against the built package (dist/index.js). Each check is
// { name, ok, detail }; run.mjs prints them. Plain JavaScript: the page loads it as it is.

import {
  Heap, ArenaAllocator, withArena, DetachedViewError, OutOfMemoryError, defineAllocator,
} from "./dist/index.js";

const PAGE = 65536;

/** Grows `heap` by allocating (and freeing) more than its current memory. */
function forceGrowth(heap) {
  const before = heap.memory.buffer.byteLength;
  const bytes = before + PAGE;
  const ptr = heap.pageAllocator.rawAlloc(bytes);
  if (ptr === 0) throw new Error("could not grow the heap");
  heap.pageAllocator.rawFree(ptr, bytes);
  if (heap.memory.buffer.byteLength <= before) throw new Error("memory did not grow");
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** A view taken before two growths still reads and writes the same memory after them. */
function viewsSurviveGrowth(heap) {
  const xs = heap.pageAllocator.alloc("f64", 100);
  for (let i = 0; i < 100; i++) xs[i] = i * 1.5;
  forceGrowth(heap);
  forceGrowth(heap);
  assert(xs.length === 100 && xs[99] === 148.5, `old view reads ${xs.length} elements, last ${xs[99]}`);
  xs[7] = -42;
  assert(heap.f64[xs.byteOffset / 8 + 7] === -42, "a write through the old view is not in memory");
  heap.f64[xs.byteOffset / 8 + 8] = 1e300;
  assert(xs[8] === 1e300, "a write to memory is not seen through the old view");
  heap.pageAllocator.free(xs);
  heap.validate();
  return `a Float64Array taken before ${heap.stats().grows} growths reads and writes the same memory`;
}

/** Under "plain", a detached view given to the library throws DetachedViewError. */
function plainDetaches(heap) {
  const xs = heap.pageAllocator.alloc("f64", 4);
  forceGrowth(heap);
  assert(xs.length === 0, "growth did not detach the view under plain");
  let error;
  try { heap.pageAllocator.free(xs); } catch (caught) { error = caught; }
  assert(error instanceof DetachedViewError, `free(detached) threw ${error}`);
  assert(error.code === "DETACHED_VIEW", `code ${error.code}`);
  heap.validate();
  return `free(detached view) threw DetachedViewError: "${error.message.slice(0, 60)}…"`;
}

export async function runChecks() {
  const results = [];
  const check = async (name, fn) => {
    try {
      const detail = await fn();
      results.push({ name, ok: true, detail: detail ?? "" });
    } catch (error) {
      results.push({ name, ok: false, detail: String(error?.stack ?? error) });
    }
  };

  const isolated = globalThis.crossOriginIsolated === true;
  const resizable = typeof WebAssembly.Memory.prototype.toResizableBuffer === "function";
  // Browsers refuse resizable and shared views in WebGL, TextDecoder, crypto and Blob
  // (bench/results/compat.json): "plain" is their default, whatever else is on offer.
  const expectedDefault = "plain";

  await check("environment", () =>
    `${navigator.userAgent.match(/Chrom[a-z]*\/[\d.]+/)?.[0] ?? navigator.userAgent}; crossOriginIsolated=${isolated}; `
    + `toResizableBuffer=${resizable}; SharedArrayBuffer=${typeof SharedArrayBuffer === "function"}`);

  await check("synchronous new WebAssembly.Module of the core on the main thread", async () => {
    const bytes = new Uint8Array(await (await fetch("./core.wasm")).arrayBuffer());
    try {
      const module = new WebAssembly.Module(bytes);
      assert(WebAssembly.Module.exports(module).some((e) => e.name === "alloc"), "no alloc export");
      return `allowed for the ${bytes.length}-byte module`;
    } catch (error) {
      throw new Error(`NOT allowed for the ${bytes.length}-byte module: ${error}`);
    }
  });

  await check("Heap.create() is synchronous and works", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20 });
    const xs = heap.pageAllocator.dupe("i32", [1, 2, 3]);
    assert(xs[2] === 3, "dupe");
    heap.validate();
    return `viewStrategy "${heap.viewStrategy}"`;
  });

  await check("Heap.instantiate() resolves to a working heap", async () => {
    const heap = await Heap.instantiate({ initialBytes: PAGE, maximumBytes: 64 << 20 });
    const xs = heap.pageAllocator.alloc("u8", 1000);
    xs.fill(9);
    assert(heap.u8[xs.byteOffset + 999] === 9, "write");
    heap.validate();
    return `viewStrategy "${heap.viewStrategy}"`;
  });

  await check(`default view strategy is "${expectedDefault}", starting with 32 MiB`, () => {
    const heap = Heap.create({ maximumBytes: 64 << 20 });
    assert(heap.viewStrategy === expectedDefault, `got "${heap.viewStrategy}"`);
    assert(heap.stats().memoryBytes === 32 << 20, `memory ${heap.stats().memoryBytes}`);
    return isolated ? "cross-origin isolated page" : "plain http page, not cross-origin isolated";
  });

  await check("arena batch on a default heap: withArena without growth, reset loop without backing calls", () => {
    const heap = Heap.create({ maximumBytes: 64 << 20 });
    const grows = heap.stats().grows;
    const input = Int32Array.from({ length: 10_000 }, (_, i) => i);
    const out = withArena(heap.pageAllocator, (scratch) => {
      const temp = scratch.alloc("i32", input.length);
      for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
      const result = heap.pageAllocator.alloc("i32", input.length);
      result.set(temp);
      return result;
    });
    assert(out[9999] === 19998, `result ${out[9999]}`);
    const arena = new ArenaAllocator(heap.pageAllocator);
    const round = () => {
      for (let i = 0; i < 100; i++) arena.allocator().alloc("f64", 100 + i).fill(i);
      arena.reset("retain_capacity");
    };
    round();
    const calls = JSON.stringify([heap.stats().pageAllocCalls, heap.stats().pageResizeCalls, heap.stats().pageFreeCalls]);
    for (let i = 0; i < 10; i++) round();
    const after = JSON.stringify([heap.stats().pageAllocCalls, heap.stats().pageResizeCalls, heap.stats().pageFreeCalls]);
    assert(calls === after, `page allocator calls went from ${calls} to ${after}`);
    assert(heap.stats().grows === grows, `memory grew ${heap.stats().grows - grows} times`);
    let oom;
    try { arena.allocator().alloc("u8", 128 << 20); } catch (error) { oom = error; }
    assert(oom instanceof OutOfMemoryError, `expected OutOfMemoryError, got ${oom}`);
    arena.deinit();
    heap.validate();
    return "no growth; 10 rounds after the first made no page allocator calls";
  });

  await check("defineAllocator under an arena: only chunk calls reach it, growth in its nested call is announced", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20 });
    const pages = heap.pageAllocator;
    const calls = [];
    const logging = defineAllocator(heap, {
      alloc(len, align) { calls.push("alloc"); return pages.rawAlloc(len, align); },
      resize(ptr, len, newLen, align) { calls.push("resize"); return pages.rawResize(ptr, len, newLen, align); },
      free(ptr, len, align) { calls.push("free"); pages.rawFree(ptr, len, align); },
    });
    const grown = [];
    heap.onGrow(({ memoryBytes }) => grown.push(memoryBytes));
    const arena = new ArenaAllocator(logging);
    for (let i = 0; i < 100_000; i++) arena.allocator().alloc("f64", 4)[0] = i;
    const big = arena.allocator().alloc("f64", 1 << 18);
    big.fill(3);
    assert(big.buffer === heap.memory.buffer && heap.f64[big.byteOffset / 8 + 5] === 3, "the view after growth is not on memory");
    assert(grown.length > 0 && grown.at(-1) === heap.memory.buffer.byteLength, `growth events ${JSON.stringify(grown)}`);
    assert(calls.length < 60, `${calls.length} calls reached the allocator`);
    const boom = new Error("boom");
    const throwing = new ArenaAllocator(defineAllocator(heap, { alloc() { throw boom; }, resize: () => false, free() {} }));
    let caught;
    try { throwing.allocator().alloc("u8", 8); } catch (error) { caught = error; }
    assert(caught === boom, `the callback's error came back as ${caught}`);
    arena.deinit();
    assert(calls.at(-1) === "free", `last call ${calls.at(-1)}`);
    heap.validate();
    return `${calls.length} calls for 100,001 allocations; ${grown.length} growth events; a callback's error passes unchanged`;
  });

  await check(`views across growth under the default strategy ("${expectedDefault}")`, () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20 });
    return heap.viewStrategy === "plain" ? plainDetaches(heap) : viewsSurviveGrowth(heap);
  });

  await check("forced \"plain\": a detached view throws DetachedViewError", () =>
    plainDetaches(Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20, viewStrategy: "plain" })));

  if (isolated) {
    await check("forced \"shared\" (cross-origin isolated): views survive growth", () => {
      const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20, viewStrategy: "shared" });
      assert(heap.memory.buffer instanceof SharedArrayBuffer, "memory is not shared");
      return viewsSurviveGrowth(heap);
    });
  } else {
    await check("forced \"shared\" without cross-origin isolation throws TypeError", () => {
      let error;
      try { Heap.create({ viewStrategy: "shared" }); } catch (caught) { error = caught; }
      assert(error instanceof TypeError, `got ${error}`);
      return error.message;
    });
  }

  if (resizable) {
    await check("forced \"resizable\": views survive growth", () =>
      viewsSurviveGrowth(Heap.create({ initialBytes: PAGE, maximumBytes: 64 << 20, viewStrategy: "resizable" })));
  }

  return results;
}
