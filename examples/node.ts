/**
 * The example service on Node: `node examples/node.ts` (Node ≥ 24, which runs
 * TypeScript natively). A small `node:http` adapter turns each request into a
 * web `Request`, calls the web handler, and writes the `Response` back.
 * Serves on `PORT` (default 8787; `HOST` optional, `POOL_DEBUG=1` for a
 * debug pool) and prints the URL.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { Readable } from "node:stream";
import { type Handler, handlerFromEnv, portFrom } from "./app.ts";

/**
 * Adapts a web-standard handler to a `node:http` request listener.
 *
 * @param fetch The web handler.
 * @returns A listener for `http.createServer`.
 * @example
 * ```ts ignore
 * import { createServer } from "node:http";
 * import { handler } from "./app.ts";
 * import { toNodeListener } from "./node.ts";
 *
 * createServer(toNodeListener(handler)).listen(8787);
 * ```
 */
export function toNodeListener(
  fetch: Handler,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(fetch, req, res).catch((error: Error) => {
      // The handler already maps its own errors; this is a broken socket or adapter bug.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`Internal error: ${error.message}`);
    });
  };
}

async function serve(fetch: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  }
  const hasBody = method !== "GET" && method !== "HEAD";
  // No abort signal: a client that goes away errors the body stream, and the
  // handler does nothing long-running besides reading it.
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch requires half-duplex for streamed request bodies.
    duplex: hasBody ? "half" : undefined,
  } as RequestInit);
  const response = await fetch(request);
  const outgoing: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    const previous = outgoing[name];
    outgoing[name] = previous === undefined ? value : ([] as string[]).concat(previous, value);
  }
  if (response.body === null || method === "HEAD") {
    res.writeHead(response.status, outgoing).end();
    await response.body?.cancel();
    return;
  }
  // Bodies here are small and complete: one buffer gives a Content-Length and one write.
  const body = new Uint8Array(await response.arrayBuffer());
  outgoing["content-length"] = String(body.length);
  res.writeHead(response.status, outgoing).end(body);
}

if (import.meta.main) {
  const server = createServer(
    { keepAliveTimeout: 5000 },
    toNodeListener(handlerFromEnv(process.env.POOL_DEBUG)),
  );
  // A deep accept queue (the kernel caps it at somaxconn): Node's default of
  // 511 overflows under a burst of thousands of connections and resets some.
  server.listen({ port: portFrom(process.env.PORT), host: process.env.HOST, backlog: 4096 }, () => {
    const { port } = server.address() as AddressInfo;
    console.log(
      `@catga/memory example (Node ${process.versions.node}) listening on http://localhost:${port}/`,
    );
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    });
  }
}
