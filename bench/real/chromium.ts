// The real-library workloads in headless Chromium: bench/real/page.ts is bundled with esbuild
// (gl-matrix, fft.js and the package's dist/index.js) into a temporary folder and served from
// 127.0.0.1 as test/browser/run.mjs serves its checks: at / (plain) and at /isolated/ with
// COOP/COEP (cross-origin isolated, for the "shared" strategy). One browser per strategy, started
// with --js-flags=--expose-gc; collections are the MinorGC/MajorGC events of a Chromium trace
// (devtools.timeline) between each collection window's performance marks.

import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import type { Settings } from "./measure";

const root = resolve(import.meta.dirname, "../..");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--js-flags=--expose-gc", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-background-timer-throttling", "--disable-renderer-backgrounding"];
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasm-arena real-library bench</title>
<script type="module" src="page.js"></script>`;

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; cat: string }
interface PageVariant { gcWindow?: { markStart: string; markEnd: string }; notes?: Record<string, unknown> }
interface PageRun { workloads: { variants: PageVariant[] }[] }

const GC_EVENTS = new Set(["MinorGC", "MajorGC"]);

/** Adds gcs and gcMs to each variant's notes from the trace's GC events inside its window. */
function countCollections(run: PageRun, events: TraceEvent[]): void {
  const marks = new Map(events.filter((e) => e.name.startsWith("real:")).map((e) => [e.name, e]));
  const gcs = events.filter((e) => GC_EVENTS.has(e.name) && e.ph === "X");
  for (const variant of run.workloads.flatMap((w) => w.variants)) {
    if (variant.gcWindow === undefined) continue;
    const start = marks.get(variant.gcWindow.markStart);
    const end = marks.get(variant.gcWindow.markEnd);
    if (start === undefined || end === undefined) {
      variant.notes = { ...variant.notes, gcs: "trace lacks the window's marks" };
      continue;
    }
    const inside = gcs.filter((e) => e.pid === start.pid && e.ts >= start.ts && e.ts < end.ts);
    variant.notes = { ...variant.notes, gcs: inside.length, gcMs: inside.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000 };
  }
}

export async function runChromium(strategies: string[], settings: Settings, log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "wasm-arena-real-"));
  await build({
    entryPoints: [join(root, "bench/real/page.ts")], bundle: true, format: "esm", platform: "browser", target: "es2022",
    outfile: join(dir, "page.js"), alias: { "wasm-arena": join(root, "dist/index.js") }, logLevel: "warning",
  });
  const script = readFileSync(join(dir, "page.js"));
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const isolated = url.pathname.startsWith("/isolated/");
    const path = (isolated ? url.pathname.slice("/isolated/".length) : url.pathname.slice(1)) || "index.html";
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (isolated) Object.assign(headers, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp", "cross-origin-resource-policy": "same-origin" });
    if (path === "index.html") response.writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" }).end(PAGE);
    else if (path === "page.js") response.writeHead(200, { ...headers, "content-type": "text/javascript; charset=utf-8" }).end(script);
    else response.writeHead(404, headers).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  const runs: unknown[] = [];
  try {
    for (const strategy of strategies) {
      const path = strategy === "shared" ? "/isolated/" : "/";
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const started = Date.now();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`http://127.0.0.1:${port}${path}`);
        await page.waitForFunction(() => "realBench" in globalThis, null, { timeout: 30_000 });
        await browser.startTracing(page, { categories: ["devtools.timeline", "blink.user_timing"] });
        let run: PageRun & Record<string, unknown>;
        try {
          run = await page.evaluate(({ strategy, settings }) =>
            (globalThis as unknown as { realBench: { run: (s: string, t: unknown) => Promise<PageRun & Record<string, unknown>> } }).realBench.run(strategy, settings),
          { strategy, settings });
        } finally {
          const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
          if (run! !== undefined) countCollections(run!, trace.traceEvents);
        }
        runs.push({ ...run, version: browser.version(), page: path, chromiumArgs: CHROMIUM_ARGS, pageErrors: errors });
        log(`  chromium/${strategy}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        runs.push({ platform: "chromium", strategy, version: browser.version(), error: String((error as Error)?.message ?? error).split("\n")[0] });
        log(`  chromium/${strategy}: failed: ${String(error).split("\n")[0]}`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}
