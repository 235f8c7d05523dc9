/**
 * One web-standard request handler for the example services: Bun
 * (`examples/bun.ts`), Deno (`examples/deno.ts`) and Node (`examples/node.ts`)
 * all serve this same function.
 *
 * Routes:
 * - `GET /messages/{small|medium|large}?format=json|msgpack` — the fixtures,
 *   serialized per request by the path that measured fastest for that route
 *   on this runtime ({@linkcode ROUTE_PATHS}); `&via=native|pooled|owned`
 *   forces one path (the load bench compares them that way);
 * - `GET /naive/{small|medium|large}` — the `Response.json` baseline;
 * - `POST /echo?format=json|msgpack` — deserialize, validate, re-serialize;
 * - `GET /stats` — the pool's counters as JSON;
 * - `GET /paths` — which path each route takes on this runtime;
 * - `GET /` — the live dashboard.
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";
import {
  JsonSerializer,
  type MessageSerializer,
  MsgPackSerializer,
  serializedResponse,
} from "../serializers/mod.ts";
import { PLATFORM_KEY, type PlatformKey } from "../platform/fast_paths.ts";
import { fixtures } from "../dev/fixtures.ts";
import { dashboardHtml } from "./dashboard.ts";

/** A web-standard request handler, as `Bun.serve`, `Deno.serve` and Deno Deploy take it. */
export type Handler = (request: Request) => Response | Promise<Response>;

/** Options for {@linkcode createHandler}. */
export interface AppOptions {
  /** The pool the serializers rent from and `/stats` reports. Default `MemoryPool.shared`. */
  pool?: MemoryPool;
  /** The largest `POST /echo` body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The path each `/messages/*` route takes. Default: this runtime's row of {@linkcode ROUTE_PATHS}. */
  paths?: RoutePaths;
}

/** The message sizes the routes serve. */
export type MessageSize = "small" | "medium" | "large";

/** The wire formats the routes speak. */
export type MessageFormat = "json" | "msgpack";

/** The sizes, in route order. */
export const MESSAGE_SIZES: readonly MessageSize[] = ["small", "medium", "large"];

/** The formats, in route order. */
export const MESSAGE_FORMATS: readonly MessageFormat[] = ["json", "msgpack"];

/**
 * How a `/messages/*` route builds its body:
 * - `native`: `Response.json(value)` (JSON only): the runtime stringifies and encodes;
 * - `pooled`: {@linkcode serializedResponse}: the library's serializer writes into
 *   a pooled writer, the Response constructor copies the bytes, the buffer goes back;
 * - `owned`: `new Response(serializer.serialize(value))`: owned bytes, no pool
 *   (slab-backed where `serialize` uses the `SlabAllocator`: the constructor
 *   copies only the view, never its neighbours in the chunk).
 */
export type BodyPath = "native" | "pooled" | "owned";

/** Every body path; `native` applies to JSON only. */
export const BODY_PATHS: readonly BodyPath[] = ["native", "pooled", "owned"];

/** The path of each route: per format, per size. MessagePack has no native path. */
export interface RoutePaths {
  /** The JSON routes. */
  readonly json: Readonly<Record<MessageSize, BodyPath>>;
  /** The MessagePack routes. */
  readonly msgpack: Readonly<Record<MessageSize, Exclude<BodyPath, "native">>>;
}

/**
 * Per runtime, the path each route takes: the fastest in
 * `node bench/load.ts --explore` (every path of every route on its own fresh
 * server, wrk on its own core, the median of paired per-slice ratios against
 * the native JSON path; the report's "HTTP load" section shows the figures).
 * Rules: JSON keeps `native` (`Response.json`, the very code of `/naive/*`)
 * unless a library path beats it with its lower quartile above 1×. Otherwise
 * the fastest path; paths whose quartile brackets overlap are tied, and a tie
 * goes to the lower peak RSS, or, within 2% of RSS, to the simpler path
 * (`owned`, no pool). Every server is first warmed up with every size, format
 * and path, so no path is chosen on monomorphic type feedback.
 *
 * The pattern: where the runtime's JSON is native code (Bun's JSC, Deno's
 * lazily encoded string bodies), no JavaScript serializer beats
 * `Response.json`, so JSON stays native there, and MessagePack simply takes
 * its fastest path. On Node 24, undici's `Response.json` is slower than the
 * library's writers for large JSON, and MessagePack beats JSON outright from
 * medium sizes on; Node 26's faster `Response.json` leaves JSON native.
 */
export const ROUTE_PATHS: Readonly<Record<PlatformKey, RoutePaths>> = {
  node24: {
    json: { small: "native", medium: "native", large: "owned" },
    msgpack: { small: "owned", medium: "owned", large: "owned" },
  },
  node26: {
    json: { small: "native", medium: "native", large: "native" },
    msgpack: { small: "owned", medium: "owned", large: "pooled" },
  },
  deno: {
    json: { small: "native", medium: "native", large: "native" },
    msgpack: { small: "owned", medium: "owned", large: "pooled" },
  },
  bun: {
    json: { small: "native", medium: "native", large: "native" },
    msgpack: { small: "pooled", medium: "owned", large: "owned" },
  },
  // Not load-tested: native JSON, and the library's pooled path, safe everywhere, for MessagePack.
  workerd: {
    json: { small: "native", medium: "native", large: "native" },
    msgpack: { small: "pooled", medium: "pooled", large: "pooled" },
  },
  other: {
    json: { small: "native", medium: "native", large: "native" },
    msgpack: { small: "pooled", medium: "pooled", large: "pooled" },
  },
};

/** The default `PORT` of every example service. */
export const DEFAULT_PORT = 8787;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the handler. Each call gets its own serializers bound to `pool`.
 *
 * @param options The pool and limits.
 * @returns The request handler.
 * @throws {RangeError} When `maxBodyBytes` is not a positive integer.
 * @example Serve it with Deno
 * ```ts ignore
 * import { createHandler } from "./app.ts";
 *
 * Deno.serve(createHandler());
 * ```
 */
export function createHandler(options: AppOptions = {}): (request: Request) => Promise<Response> {
  const pool = options.pool ?? MemoryPool.shared;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError(
      `Cannot create handler: maxBodyBytes ${maxBodyBytes} is not a positive integer`,
    );
  }
  const serializers: Record<MessageFormat, MessageSerializer> = {
    json: new JsonSerializer({ pool }),
    msgpack: new MsgPackSerializer({ pool }),
  };
  // Built once: Bun fills a Response's headers from a `Headers` much faster than from a plain
  // object, and sharing is safe, as the constructor copies them (see `serializedResponse`).
  const ownedInits: Record<MessageFormat, ResponseInit> = {
    json: { headers: new Headers({ "content-type": serializers.json.contentType }) },
    msgpack: { headers: new Headers({ "content-type": serializers.msgpack.contentType }) },
  };
  const paths = options.paths ?? ROUTE_PATHS[PLATFORM_KEY];
  const pathsBody = { platform: PLATFORM_KEY, paths };

  function message(format: MessageFormat, size: MessageSize, path: BodyPath): Response {
    const value = fixtures[size];
    if (path === "native") return Response.json(value);
    const serializer = serializers[format];
    if (path === "owned") {
      return new Response(
        serializer.serialize(value) as Uint8Array<ArrayBuffer>,
        ownedInits[format],
      );
    }
    return serializedResponse(serializer, value, undefined, pool);
  }

  function route(request: Request): Response | Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const [, section, name, extra] = path.split("/");
    if (path === "/") {
      return onlyGet(request) ?? new Response(dashboardHtml, { headers: HTML_HEADERS });
    }
    if (path === "/stats") {
      return onlyGet(request) ?? Response.json(pool.stats(), { headers: NO_STORE });
    }
    if (path === "/paths") return onlyGet(request) ?? Response.json(pathsBody);
    if (path === "/echo") {
      if (request.method !== "POST") return methodNotAllowed("POST");
      const format = formatOf(url);
      if (format === undefined) return badFormat(url);
      return echo(request, serializers[format], maxBodyBytes, pool);
    }
    if ((section === "messages" || section === "naive") && extra === undefined && isSize(name)) {
      const wrongMethod = onlyGet(request);
      if (wrongMethod !== undefined) return wrongMethod;
      // Both sections read the query alike, so that the load bench's naive and
      // library routes differ only in how the body is built.
      const format = formatOf(url);
      const via = queryParam(url.search, "via");
      if (section === "naive") return Response.json(fixtures[name]);
      if (format === undefined) return badFormat(url);
      if (via === null) return message(format, name, paths[format][name]);
      if (!isBodyPath(via) || (via === "native" && format !== "json")) {
        return errorResponse(
          400,
          `Unknown path '${via}' for ${format}: expected ${
            format === "json" ? "native, pooled or owned" : "pooled or owned"
          }`,
        );
      }
      return message(format, name, via);
    }
    return errorResponse(404, `Not found: ${path}`);
  }

  return async (request: Request): Promise<Response> => {
    try {
      return await route(request);
    } catch (error) {
      // A bug must cost one request, never the server.
      return errorResponse(500, `Internal error: ${(error as Error).message}`);
    }
  };
}

async function echo(
  request: Request,
  serializer: MessageSerializer,
  maxBodyBytes: number,
  pool: MemoryPool,
): Promise<Response> {
  const body = await readBody(request, maxBodyBytes);
  if (typeof body === "number") return tooLarge(body, maxBodyBytes);
  let message: unknown;
  try {
    message = serializer.deserialize(body);
  } catch (error) {
    return errorResponse(400, (error as Error).message);
  }
  const problem = validateMessage(message);
  if (problem !== undefined) return errorResponse(400, problem);
  return serializedResponse(serializer, message, undefined, pool);
}

/** Reads the whole body, or stops at the first byte over the limit and returns the count so far. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | number> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) {
    await request.body?.cancel();
    return declared;
  }
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  // Chunk by chunk, so an endless or lying upload cannot make us buffer it all.
  for await (const chunk of request.body) {
    length += chunk.length;
    if (length > limit) return length; // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return joinChunks(chunks, length);
}

/**
 * The chunks of a body as one buffer: the chunk itself when there is one,
 * else a copy of them all, in order.
 *
 * @param chunks The chunks, in order.
 * @param length Their total length.
 * @returns The whole body.
 * @example
 * ```ts ignore
 * import { joinChunks } from "./app.ts";
 *
 * console.log(joinChunks([new Uint8Array([1]), new Uint8Array([2, 3])], 3)); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 */
export function joinChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}

/**
 * Checks that a decoded body is a message: a plain object, not a bare value or array.
 *
 * @param message The decoded body.
 * @returns Why it is not a message, or `undefined` when it is one.
 * @example
 * ```ts ignore
 * import { validateMessage } from "./app.ts";
 *
 * console.log(validateMessage([1])); // "Cannot echo: a message must be an object, got an array"
 * ```
 */
export function validateMessage(message: unknown): string | undefined {
  if (message === null || typeof message !== "object") {
    return `Cannot echo: a message must be an object, got ${
      message === null ? "null" : typeof message
    }`;
  }
  if (Array.isArray(message)) return "Cannot echo: a message must be an object, got an array";
  const prototype = Object.getPrototypeOf(message);
  if (prototype !== Object.prototype && prototype !== null) {
    return `Cannot echo: a message must be a plain object, got ${
      prototype?.constructor?.name ?? "an object"
    }`;
  }
  return undefined;
}

const HTML_HEADERS = { "content-type": "text/html; charset=utf-8" };
const NO_STORE = { "cache-control": "no-store" };

function isBodyPath(name: string): name is BodyPath {
  return name === "native" || name === "pooled" || name === "owned";
}

function isSize(name: string | undefined): name is MessageSize {
  return name === "small" || name === "medium" || name === "large";
}

function formatOf(url: URL): MessageFormat | undefined {
  const format = queryParam(url.search, "format") ?? "json";
  return format === "json" || format === "msgpack" ? format : undefined;
}

/**
 * The first value of a query parameter, as `URLSearchParams#get` gives it:
 * `null` when absent, `""` when bare. Plain queries are scanned in place,
 * because building a `URLSearchParams` per request is a measurable share of a
 * small response's cost on Bun and Deno; a percent-encoded or `+` query takes
 * the standard parser.
 */
function queryParam(search: string, name: string): string | null {
  if (search.length < 2) return null;
  if (search.includes("%") || search.includes("+")) return new URLSearchParams(search).get(name);
  let start = 1; // after the "?"
  while (start <= search.length) {
    let end = search.indexOf("&", start);
    if (end === -1) end = search.length;
    const equals = search.indexOf("=", start);
    const keyEnd = equals === -1 || equals > end ? end : equals;
    if (keyEnd - start === name.length && search.startsWith(name, start)) {
      return keyEnd === end ? "" : search.slice(keyEnd + 1, end);
    }
    start = end + 1;
  }
  return null;
}

function onlyGet(request: Request): Response | undefined {
  return request.method === "GET" || request.method === "HEAD"
    ? undefined
    : methodNotAllowed("GET, HEAD");
}

function methodNotAllowed(allow: string): Response {
  return Response.json({ error: `Method not allowed: use ${allow}` }, {
    status: 405,
    headers: { allow },
  });
}

function badFormat(url: URL): Response {
  return errorResponse(
    400,
    `Unknown format '${url.searchParams.get("format")}': expected json or msgpack`,
  );
}

function tooLarge(length: number, limit: number): Response {
  return errorResponse(413, `Body of ${length} bytes exceeds the limit of ${limit} bytes`);
}

function errorResponse(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/** The handler on `MemoryPool.shared`, as the example services serve it. */
export const handler: (request: Request) => Promise<Response> = createHandler();

/**
 * The handler an entry point serves: {@linkcode handler}, or with `POOL_DEBUG=1`
 * one on a fresh `debug` pool, whose returned buffers are detached so any
 * Response that still aliased pooled memory would go out empty (the e2e test
 * runs every server both ways).
 *
 * @param poolDebug The raw `POOL_DEBUG` environment value.
 * @returns The handler to serve.
 * @example
 * ```ts ignore
 * import { handlerFromEnv } from "./app.ts";
 *
 * Deno.serve(handlerFromEnv(Deno.env.get("POOL_DEBUG")));
 * ```
 */
export function handlerFromEnv(
  poolDebug: string | undefined,
): (request: Request) => Promise<Response> {
  return poolDebug === "1" ? createHandler({ pool: new MemoryPool({ debug: true }) }) : handler;
}

/**
 * Reads `PORT` from the environment (default {@linkcode DEFAULT_PORT}).
 *
 * @param value The raw environment value.
 * @returns The port number.
 * @throws {RangeError} When the value is not a port number.
 * @example
 * ```ts ignore
 * import { portFrom } from "./app.ts";
 *
 * console.log(portFrom(undefined)); // 8787
 * ```
 */
export function portFrom(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Cannot start server: PORT '${value}' is not a port number`);
  }
  return port;
}
