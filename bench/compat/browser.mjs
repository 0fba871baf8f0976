#!/usr/bin/env node
// Which browser APIs accept each view strategy's views, in headless Chromium (npm run
// bench:compat). The page imports the built package (dist/) and bench/compat/probes.js, once
// cross-origin isolated (so "shared" is on offer) and once not; WebGL runs on SwiftShader.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { servePages } from "../../scripts/serve-pages.mjs";
import { record } from "./results.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PAGE_HTML = `<!doctype html>
<meta charset="utf-8">
<script type="module">
  import * as lib from "./dist/index.js";
  import { probeStrategies } from "./probes.js";
  const supported = ["resizable", "shared", "plain"].filter((viewStrategy) => {
    try { lib.Heap.create({ viewStrategy, initialBytes: 65536, maximumBytes: 1 << 20 }); return true; } catch { return false; }
  });
  window.__results = probeStrategies(lib, supported).catch((error) => ({ error: String(error?.stack ?? error) }));
</script>
`;
const js = "text/javascript; charset=utf-8";
const { origin, close } = await servePages({
  "index.html": { body: PAGE_HTML, type: "text/html; charset=utf-8" },
  "probes.js": { file: resolve(root, "bench/compat/probes.js"), type: js },
  "dist/index.js": { file: resolve(root, "dist/index.js"), type: js },
  "core.wasm": { file: resolve(root, "build/core.wasm"), type: "application/wasm" },
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/isolated/`);
  const results = await page.evaluate(() => window.__results);
  if (results.error !== undefined) throw new Error(results.error);
  record(`Chromium ${browser.version()} (headless, WebGL on SwiftShader)`, "npm run bench:compat", results);
} finally {
  await browser.close();
  close();
}
