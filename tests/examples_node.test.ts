/**
 * examples/node.ts: the node:http adapter of the web handler, against a real
 * server on a free loopback port. GETs get a lazily built Request that must
 * still behave as one; bodies of every shape arrive byte-exact.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeListener } from "../examples/node.ts";

describe("examples/node.ts toNodeListener", () => {
  const seen: Record<string, unknown>[] = [];
  let server: Server;
  let base = "";

  before(async () => {
    server = createServer(toNodeListener(async (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/inspect") {
        seen.push({
          isRequest: request instanceof Request,
          method: request.method,
          path: url.pathname + url.search,
          header: request.headers.get("x-test"),
          body: request.body,
          bodyUsed: request.bodyUsed,
          signal: request.signal instanceof AbortSignal,
          cloneUrl: request.clone().url === request.url,
          text: await request.text(),
        });
        return new Response("seen");
      }
      if (url.pathname === "/echo") return new Response(await request.arrayBuffer());
      if (url.pathname === "/chunks") {
        // Several chunks: the adapter must join them in order.
        const parts = ["ab", "cd", "é€😀"].map((part) => new TextEncoder().encode(part));
        return new Response(
          new ReadableStream({
            start(controller) {
              for (const part of parts) controller.enqueue(part);
              controller.close();
            },
          }),
        );
      }
      if (url.pathname === "/empty") return new Response(null, { status: 204 });
      return Response.json({ path: url.pathname }, { headers: { "x-out": "1" } });
    }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("a GET's lazy Request answers every member like a real one", async () => {
    const response = await fetch(`${base}/inspect?q=1`, { headers: { "x-test": "yes" } });
    assert.equal(await response.text(), "seen");
    assert.deepEqual(seen.at(-1), {
      isRequest: true,
      method: "GET",
      path: "/inspect?q=1",
      header: "yes",
      body: null,
      bodyUsed: false,
      signal: true,
      cloneUrl: true,
      text: "",
    });
  });

  test("a POST body reaches the handler byte-exact", async () => {
    const payload = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    const response = await fetch(`${base}/echo`, { method: "POST", body: payload });
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), payload);
  });

  test("a many-chunk body is joined in order, with its Content-Length", async () => {
    const response = await fetch(`${base}/chunks`);
    const expected = new TextEncoder().encode("abcdé€😀");
    assert.equal(response.headers.get("content-length"), String(expected.length));
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), expected);
  });

  test("status, headers and an empty body pass through; HEAD sends no body", async () => {
    const json = await fetch(`${base}/other`);
    assert.equal(json.headers.get("x-out"), "1");
    assert.deepEqual(await json.json(), { path: "/other" });
    const empty = await fetch(`${base}/empty`);
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), "");
    const head = await fetch(`${base}/other`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
  });
});
