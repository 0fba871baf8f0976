// A local server on 127.0.0.1 (an ephemeral port) for pages driven in Chromium: each file of
// `files` at /<name>, and again at /isolated/<name> with COOP/COEP headers (cross-origin isolated,
// so SharedArrayBuffer and the "shared" strategy are available). `files` maps a name to
// { file, type } (file read at each request) or { body, type }.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";

const ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
};

/** Starts serving `files`; resolves to the origin and a close function. */
export async function servePages(files) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const isolated = url.pathname.startsWith("/isolated/");
    const path = (isolated ? url.pathname.slice("/isolated/".length) : url.pathname.slice(1)) || "index.html";
    const headers = { "cache-control": "no-store", ...(isolated ? ISOLATION : {}) };
    const entry = files[path];
    if (entry === undefined) {
      response.writeHead(path === "favicon.ico" ? 204 : 404, headers).end();
      return;
    }
    try {
      const body = entry.body ?? (await readFile(entry.file));
      response.writeHead(200, { ...headers, "content-type": entry.type }).end(body);
    } catch {
      response.writeHead(404, headers).end("not found");
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
