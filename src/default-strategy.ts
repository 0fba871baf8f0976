// The view strategy a heap takes when none is forced: the fastest whose views the platform's
// common APIs accept (WebGL uploads, TextDecoder, crypto.getRandomValues and subtle.digest, Blob,
// Node's fs and Buffer), as measured by `npm run bench:compat` (bench/results/compat.json) and
// `npm run bench:strategies` (bench/results/STRATEGIES.md):
//
//   platform       resizable views                 shared views                      fastest
//   Chromium 150   refused by all of them          refused by TextDecoder, crypto,   "plain"
//                                                  Blob, ImageData
//   Node 26        accepted by all                 refused by subtle.digest,         "plain"
//                                                  Response
//   Node 20–24     (not available)                 refused by subtle.digest,         "plain"
//                                                  Response
//
// "plain" is accepted everywhere, and wherever a strategy whose views every API accepts competes
// with it (resizable views on Node 26), it is the faster one on every workload measured. So every
// platform takes "plain", whose growth detaches views: it also starts with more memory
// (PLAIN_INITIAL_BYTES), so that the workloads of bench/ never grow it.

import type { ViewStrategy } from "../bindings/linear-memory";

/** The strategy of a heap created without one. */
export const DEFAULT_VIEW_STRATEGY: ViewStrategy = "plain";

/** Initial memory of a "plain" heap by default: a frame or a batch of 10,000 items fits. */
export const PLAIN_INITIAL_BYTES = 32 * 2 ** 20;
/** Initial memory of a heap whose growth detaches nothing. */
export const INITIAL_BYTES = 2 ** 20;
