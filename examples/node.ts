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
import { type Handler, handlerFromEnv, joinChunks, portFrom } from "./app.ts";

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
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  const hasBody = method !== "GET" && method !== "HEAD";
  // No abort signal: a client that goes away errors the body stream, and the
  // handler does nothing long-running besides reading it.
  const request = hasBody
    ? new Request(url, {
      method,
      headers: headerPairs(req),
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      // Node's fetch requires half-duplex for streamed request bodies.
      duplex: "half",
    } as RequestInit)
    : new BodilessRequest(url, method, req) as unknown as Request;
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
  const body = await bodyBytes(response.body);
  outgoing["content-length"] = String(body.length);
  res.writeHead(response.status, outgoing).end(body);
}

function headerPairs(req: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  }
  return pairs;
}

/**
 * The web `Request` of a GET or HEAD, built only as far as the handler reads
 * it. undici's `Request` constructor is a large share of a small response's
 * cost on Node, and the GET routes read only the URL and the method;
 * @hono/node-server does the same. It passes `instanceof Request`, and
 * any member besides `url`, `method`, `headers`, `body` and `bodyUsed` (say
 * `signal` or `clone()`) builds the real Request once and answers from it.
 */
class BodilessRequest {
  readonly url: string;
  readonly method: string;
  readonly #incoming: IncomingMessage;
  #headers: Headers | undefined;
  #real: Request | undefined;

  constructor(url: string, method: string, incoming: IncomingMessage) {
    this.url = url;
    this.method = method;
    this.#incoming = incoming;
  }

  get headers(): Headers {
    return (this.#headers ??= new Headers(headerPairs(this.#incoming)));
  }

  get body(): null {
    return null;
  }

  get bodyUsed(): boolean {
    return false;
  }

  static {
    // Every other Request member answers from the real Request, built on first use.
    for (const key of Object.getOwnPropertyNames(Request.prototype)) {
      if (key === "constructor" || Object.hasOwn(BodilessRequest.prototype, key)) continue;
      Object.defineProperty(BodilessRequest.prototype, key, {
        get(this: BodilessRequest) {
          const real = (this.#real ??= new Request(this.url, {
            method: this.method,
            headers: this.headers,
          }));
          const value = Reflect.get(real, key, real);
          return typeof value === "function" ? value.bind(real) : value;
        },
      });
    }
    Object.setPrototypeOf(BodilessRequest.prototype, Request.prototype);
  }
}

/**
 * The whole body as one buffer. A body built from bytes or a string arrives as
 * a single chunk, which is written as it is, where `arrayBuffer()` would copy
 * it once more. The chunk is the Response's own copy, never the handler's
 * (pooled) memory.
 */
async function bodyBytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  // A reader rather than `for await`, which adds an async iterator per response.
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  return joinChunks(chunks, length);
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
