/**
 * serializedResponse: headers, status, byte-exact bodies against oracles, the
 * copy semantics it relies on (checked on this runtime), and that the pooled
 * buffer is back in the pool when it returns, on success and on failure.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { encode as oracleEncode } from "@msgpack/msgpack";
import { MemoryPool } from "../pool/mod.ts";
import { JsonSerializer, MsgPackSerializer, serializedResponse } from "../serializers/mod.ts";
import { rng } from "./_random.ts";

async function bodyOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

function randomMessage(random: () => number): Record<string, unknown> {
  return {
    id: Math.floor(random() * 2 ** 31),
    text: "é€😀 a".repeat(Math.floor(random() * 3000)),
    values: Array.from({ length: Math.floor(random() * 200) }, () => random() * 1000 - 500),
    nested: { ok: random() < 0.5, none: null },
  };
}

describe("the runtime's Response constructor (the fact serializedResponse relies on)", () => {
  test("copies a Uint8Array body at construction", async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const response = new Response(bytes);
    bytes.fill(0xee);
    assert.deepEqual([...await bodyOf(response)], [1, 2, 3, 4]);
  });

  test("takes only the view's bytes of a shared buffer", async () => {
    const shared = new Uint8Array([9, 9, 1, 2, 3, 9, 9]);
    const response = new Response(shared.subarray(2, 5));
    shared.fill(0);
    assert.deepEqual([...await bodyOf(response)], [1, 2, 3]);
  });

  test("keeps its copy when the source buffer is detached", async () => {
    const bytes = new Uint8Array(1000).fill(7);
    const response = new Response(bytes);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    assert.equal(bytes.length, 0);
    const body = await bodyOf(response);
    assert.equal(body.length, 1000);
    assert.ok(body.every((b) => b === 7));
  });
});

describe("serializedResponse", () => {
  test("sets the serializer's content type and the given status", async () => {
    const json = serializedResponse(new JsonSerializer(), { a: 1 });
    assert.equal(json.status, 200);
    assert.equal(json.headers.get("content-type"), "application/json");
    assert.equal(await json.text(), '{"a":1}');
    const msgpack = serializedResponse(new MsgPackSerializer(), [1], {
      status: 202,
      statusText: "Queued",
    });
    assert.equal(msgpack.status, 202);
    assert.equal(msgpack.statusText, "Queued");
    assert.equal(msgpack.headers.get("content-type"), "application/msgpack");
  });

  test("responses never share headers, though built from one cached init", () => {
    const serializer = new JsonSerializer();
    const first = serializedResponse(serializer, 1);
    first.headers.set("x-first", "1");
    first.headers.set("content-type", "text/plain");
    const second = serializedResponse(serializer, 2);
    assert.equal(second.headers.get("x-first"), null);
    assert.equal(second.headers.get("content-type"), "application/json");
    assert.equal(first.headers.get("content-type"), "text/plain");
    const withStatus = serializedResponse(serializer, 3, { status: 201 });
    withStatus.headers.append("x-third", "3");
    assert.equal(serializedResponse(serializer, 4).headers.get("x-third"), null);
    assert.deepEqual([...serializedResponse(serializer, 5).headers.keys()], ["content-type"]);
  });

  test("follows a serializer whose content type changes", () => {
    const serializer = new JsonSerializer();
    assert.equal(serializedResponse(serializer, 1).headers.get("content-type"), "application/json");
    Object.defineProperty(serializer, "contentType", { value: "application/vnd.test+json" });
    assert.equal(
      serializedResponse(serializer, 1).headers.get("content-type"),
      "application/vnd.test+json",
    );
  });

  test("an init with only a status or only a status text keeps the defaults of the rest", () => {
    const serializer = new MsgPackSerializer();
    const created = serializedResponse(serializer, 1, { status: 201 });
    assert.equal(created.status, 201);
    assert.equal(created.statusText, "");
    assert.equal(created.headers.get("content-type"), "application/msgpack");
    const named = serializedResponse(serializer, 1, { statusText: "Fine" });
    assert.equal(named.status, 200);
    assert.equal(named.statusText, "Fine");
    const empty = serializedResponse(serializer, 1, {});
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get("content-type"), "application/msgpack");
  });

  test("keeps given headers and a given content type", () => {
    const response = serializedResponse(new JsonSerializer(), 1, {
      headers: { "x-request-id": "7", "Content-Type": "application/problem+json" },
    });
    assert.equal(response.headers.get("x-request-id"), "7");
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const tuples = serializedResponse(new JsonSerializer(), 1, { headers: [["x-a", "b"]] });
    assert.equal(tuples.headers.get("x-a"), "b");
    assert.equal(tuples.headers.get("content-type"), "application/json");
  });

  test("bodies are byte-exact and survive their buffers' return on a debug pool", async () => {
    // debug detaches every returned buffer: a body that aliased it would read empty.
    const pool = new MemoryPool({ debug: true });
    const json = new JsonSerializer({ pool });
    const msgpack = new MsgPackSerializer({ pool });
    const random = rng(0xb0d7);
    const messages = Array.from({ length: 60 }, () => randomMessage(random));
    // Build every response before reading any, so buffers are reused in between.
    const responses = messages.flatMap((message) => [
      serializedResponse(json, message, undefined, pool),
      serializedResponse(msgpack, message, undefined, pool),
    ]);
    assert.equal(pool.stats().outstanding, 0);
    for (let i = 0; i < messages.length; i++) {
      const expectedJson = new TextEncoder().encode(JSON.stringify(messages[i]));
      assert.deepEqual(await bodyOf(responses[2 * i]), expectedJson, `seed 0xb0d7, json ${i}`);
      assert.deepEqual(
        await bodyOf(responses[2 * i + 1]),
        oracleEncode(messages[i]),
        `seed 0xb0d7, msgpack ${i}`,
      );
    }
  });

  test("the buffer goes back to the given pool and is reused", () => {
    const pool = new MemoryPool();
    const msgpack = new MsgPackSerializer({ pool });
    for (let i = 0; i < 20; i++) {
      serializedResponse(msgpack, { i, text: "x".repeat(3000) }, {}, pool);
    }
    const stats = pool.stats();
    assert.equal(stats.outstanding, 0);
    assert.equal(stats.rented, stats.returned);
    assert.ok(stats.hits >= 18, `hits ${stats.hits}`);
  });

  test("a value that cannot be serialized throws and leaves nothing rented", () => {
    const pool = new MemoryPool();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(
      () => serializedResponse(new JsonSerializer({ pool }), 10n, undefined, pool),
      TypeError,
    );
    assert.throws(
      () => serializedResponse(new MsgPackSerializer({ pool }), cyclic, undefined, pool),
      TypeError,
    );
    assert.equal(pool.stats().outstanding, 0);
  });

  test("an invalid status is the Response constructor's RangeError, with nothing rented", () => {
    const pool = new MemoryPool();
    assert.throws(
      () => serializedResponse(new JsonSerializer(), 1, { status: 99 }, pool),
      RangeError,
    );
    assert.equal(pool.stats().outstanding, 0);
  });
});
