// The browser side of the real-library workloads, bundled for the page by bench/real/chromium.ts.
// The frame of the gl-matrix workload ends with a WebGL2 bufferData upload of the instance buffer
// (a real context on an OffscreenCanvas); a view WebGL rejects is reported and its data uploaded
// from a copy instead, so the frame still ends as it should. The host counts collections from a
// trace, between the performance marks the collection windows set.

import { Heap, type ViewStrategy } from "wasm-arena";
import { runWorkload, type Settings, type WorkloadResult } from "./measure";
import { detachProbe } from "../harness/detach-probe";
import { fftWorkload, glMatrixWorkload, scopeBackingCalls, type UploadFor } from "./variants";

function webgl(): { uploadFor: UploadFor; renderer: string } {
  const gl = new OffscreenCanvas(1, 1).getContext("webgl2");
  if (gl === null) throw new Error("no WebGL2 context");
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = `${gl.getParameter(gl.VERSION)}; ${info === null ? "" : gl.getParameter(info.UNMASKED_RENDERER_WEBGL)}`;
  const uploadFor: UploadFor = () => {
    let accepted = 0;
    let rejected = "";
    const upload = (instances: Float32Array, floats: number) => {
      if (rejected === "") {
        try {
          gl.bufferData(gl.ARRAY_BUFFER, instances, gl.DYNAMIC_DRAW, 0, floats);
          accepted++;
          return;
        } catch (error) {
          rejected = String(error);
        }
      }
      gl.bufferData(gl.ARRAY_BUFFER, instances.slice(0, floats), gl.DYNAMIC_DRAW);
    };
    const notes = () => ({ webgl: rejected === "" ? `bufferData accepted the view (${accepted} uploads, no copy)` : `bufferData rejected the view (${rejected}); uploaded a copy`, glError: gl.getError() });
    return { upload, notes };
  };
  return { uploadFor, renderer };
}

async function run(strategy: ViewStrategy, settings: Settings) {
  const heap = Heap.create({ viewStrategy: strategy, initialBytes: 64 << 20 });
  const { uploadFor, renderer } = webgl();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("start Chromium with --js-flags=--expose-gc");
  const platform = { now: () => performance.now(), gc, mark: (name: string) => performance.mark(name) };
  const workloads: WorkloadResult[] = [];
  for (const build of [() => glMatrixWorkload(heap, uploadFor), () => fftWorkload(heap, 64), () => fftWorkload(heap, 1024)]) {
    workloads.push(runWorkload(build(), settings, platform));
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the page breathe between workloads
  }
  // Last of everything timed: the probe turns the fast path off (detach-probe.ts).
  const fastPathSlowdown = detachProbe(() => performance.now());
  return {
    platform: "chromium", strategy, version: navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? "unknown",
    defaultStrategy: Heap.create().viewStrategy, crossOriginIsolated: globalThis.crossOriginIsolated, webgl: renderer,
    memoryGrows: heap.stats().grows, fastPathSlowdown, scopeBackingCalls70k: { freshHeap: scopeBackingCalls(Heap.create({ viewStrategy: strategy, initialBytes: 64 << 20 }), 70_000), workloadHeap: scopeBackingCalls(heap, 70_000) }, workloads,
  };
}

(globalThis as { realBench?: unknown }).realBench = { run };
