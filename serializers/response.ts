/**
 * {@linkcode serializedResponse}: a message serialized into pooled memory and
 * wrapped in a web-standard `Response`, with the pooled buffer back in the
 * pool before the function returns.
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";
import type { MessageSerializer } from "./types.ts";

/**
 * The last body size per serializer, so the next writer is rented at the
 * right size class instead of growing through the smaller ones. A hint only:
 * it never changes the bytes written.
 */
const lastBodySize = new WeakMap<MessageSerializer, number>();

/** The writer size for a serializer's first body: most API messages fit. */
const FIRST_BODY_SIZE = 256;

/**
 * Per serializer, the init of a Response with no caller init: a `Headers`
 * object holding just the content type, built once: Bun fills a Response's
 * headers from a `Headers` far faster than from a plain object. Sharing one is
 * safe: the Response constructor fills
 * its own new header list from it (Fetch, "fill"), and a test checks that
 * changing one response's headers leaves the next untouched on every runtime.
 */
const defaultInits = new WeakMap<MessageSerializer, DefaultInit>();

interface DefaultInit {
  /** The content type the headers were built for (a serializer may change it). */
  readonly contentType: string;
  readonly init: ResponseInit;
}

/**
 * Serializes `value` with `serializer` into a writer rented from `pool` and
 * returns a `Response` whose body is those bytes, with `Content-Type` set to
 * the serializer's type unless `init.headers` names one.
 *
 * Copy semantics, and why the buffer can go back at once: the Fetch
 * standard's "extract a body" takes *a copy* of the bytes of a
 * `BufferSource` body when the `Response` is constructed. So the writer's
 * pooled buffer is returned before this function returns, while the runtime
 * reads (or sends) only its own copy later. Node 24 and 26 (undici), Deno and
 * Bun all copy at construction, for views of shared buffers too (only the
 * view's bytes are taken); the tests check each of them with a debug pool that
 * detaches every returned buffer, so a runtime that kept a reference instead
 * would serve an empty body and fail them.
 *
 * Never put pooled bytes into a `ReadableStream` body instead: a stream hands
 * the chunk itself to the consumer, whose reads outlive this call. If you
 * need a body that outlives its bytes' owner, use `serializer.serialize(value)`
 * (owned bytes) as the body.
 *
 * @param serializer The format (its `contentType` becomes the header).
 * @param value The message.
 * @param init Status, status text and headers, as for `new Response`.
 * @param pool Where the writer's buffer is rented from. Default `MemoryPool.shared`.
 * @returns A Response that owns its own copy of the bytes.
 * @throws {TypeError} When the value cannot be serialized (nothing stays rented then).
 * @throws {RangeError} As the serializer throws for limits (e.g. nesting depth).
 * @example Serve a message as MessagePack
 * ```ts
 * import { MsgPackSerializer, serializedResponse } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const msgpack = new MsgPackSerializer();
 * const response = serializedResponse(msgpack, { id: 1 }, { status: 201 });
 * assert.equal(response.status, 201);
 * assert.equal(response.headers.get("content-type"), "application/msgpack");
 * const body = new Uint8Array(await response.arrayBuffer());
 * assert.deepEqual(msgpack.deserialize(body), { id: 1 });
 * ```
 */
export function serializedResponse(
  serializer: MessageSerializer,
  value: unknown,
  init?: ResponseInit,
  pool: MemoryPool = MemoryPool.shared,
): Response {
  const responseInit = init === undefined
    ? defaultInitOf(serializer)
    : withContentType(init, serializer);
  // try/finally rather than `using`: the library itself runs on Node 22 and older browsers.
  const writer = pool.rentWriter(lastBodySize.get(serializer) ?? FIRST_BODY_SIZE);
  try {
    const length = serializer.serializeTo(value, writer);
    lastBodySize.set(serializer, length);
    // The constructor copies the view's bytes (Fetch: "get a copy of the bytes held by the
    // buffer source"), so the writer's buffer may go back as soon as it returns.
    return new Response(writer.written as Uint8Array<ArrayBuffer>, responseInit);
  } finally {
    writer.dispose();
  }
}

function defaultInitOf(serializer: MessageSerializer): ResponseInit {
  const cached = defaultInits.get(serializer);
  if (cached !== undefined && cached.contentType === serializer.contentType) return cached.init;
  const contentType = serializer.contentType;
  const init: ResponseInit = { headers: new Headers({ "content-type": contentType }) };
  defaultInits.set(serializer, { contentType, init });
  return init;
}

/** The caller's init with the serializer's content type added unless it names one. */
function withContentType(init: ResponseInit, serializer: MessageSerializer): ResponseInit {
  const { status, statusText } = init;
  let headers: HeadersInit;
  if (init.headers === undefined) {
    headers = defaultInitOf(serializer).headers!;
  } else {
    const own = new Headers(init.headers);
    if (!own.has("content-type")) own.set("content-type", serializer.contentType);
    headers = own;
  }
  // Only the members given: an explicit `statusText: undefined` is not free on every runtime.
  if (status === undefined) return statusText === undefined ? { headers } : { statusText, headers };
  return statusText === undefined ? { status, headers } : { status, statusText, headers };
}
