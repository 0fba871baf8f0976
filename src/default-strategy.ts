// The view strategy a heap takes when none is forced: the fastest whose views the platform's
// common APIs accept (WebGL uploads, TextDecoder, crypto.getRandomValues, Blob, Node's fs and
// Buffer), as measured by `npm run bench:compat` (bench/results/compat.json):
//
//   platform          resizable views          shared views                         default
//   Chromium 150      refused by all of them   refused by TextDecoder, crypto,      "plain"
//                                              Blob, ImageData
//   Node 26           accepted by all          refused by subtle.digest, Response   "resizable"
//   Node 20–24        (not available)          refused by subtle.digest, Response   "shared"
//
// Browsers therefore take "plain", whose growth detaches views: they also start with more memory
// (PLAIN_INITIAL_BYTES), so that the workloads of bench/ never grow it.

import type { ViewStrategy } from "../bindings/linear-memory";

/** Initial memory of a "plain" heap by default: a frame or a batch of 10,000 items fits. */
export const PLAIN_INITIAL_BYTES = 32 * 2 ** 20;
/** Initial memory of a heap whose growth detaches nothing. */
export const INITIAL_BYTES = 2 ** 20;

/** Whether this is a browser (a window or a worker), not Node, Deno or Bun. */
function inBrowser(): boolean {
  const runtime = globalThis as { process?: { versions?: { node?: string } }; navigator?: { userAgent?: string } };
  return runtime.process?.versions?.node === undefined && typeof runtime.navigator?.userAgent === "string";
}

/** The default among `supported` (best first, as supportedViewStrategies() lists them). */
export function defaultViewStrategy(supported: readonly ViewStrategy[]): ViewStrategy {
  return inBrowser() ? "plain" : supported[0];
}
