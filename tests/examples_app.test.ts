/**
 * The example service's handler, in-process: every route and format, bodies
 * byte-exact against independent oracles (`JSON.stringify` + `TextEncoder`,
 * `@msgpack/msgpack`), and the pooled-body safety rule on a debug pool.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decode as oracleDecode, encode as oracleEncode } from "@msgpack/msgpack";
import { MemoryPool } from "../pool/mod.ts";
import { MsgPackSerializer, serializedResponse } from "../serializers/mod.ts";
import {
  BODY_PATHS,
  createHandler,
  handler as sharedHandler,
  MESSAGE_FORMATS,
  MESSAGE_SIZES,
  type MessageFormat,
  type MessageSize,
  portFrom,
  ROUTE_PATHS,
  type RoutePaths,
} from "../examples/app.ts";
import { fixtures } from "../dev/fixtures.ts";
import { rng } from "./_random.ts";

const BASE = "http://example.test";
const CONTENT_TYPES: Record<MessageFormat, string> = {
  json: "application/json",
  msgpack: "application/msgpack",
};
// `Response.json` adds "; charset=utf-8" on Bun; the pooled and owned paths send the bare type.
const CONTENT_TYPE_PATTERNS: Record<MessageFormat, RegExp> = {
  json: /^application\/json(;\s*charset=utf-8)?$/,
  msgpack: /^application\/msgpack$/,
};

function expectedBytes(format: MessageFormat, value: unknown): Uint8Array {
  return format === "json" ? new TextEncoder().encode(JSON.stringify(value)) : oracleEncode(value);
}

async function bodyOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

function get(path: string): Request {
  return new Request(BASE + path);
}

function post(path: string, body: Uint8Array | string): Request {
  return new Request(BASE + path, { method: "POST", body: body as BodyInit });
}

async function errorOf(response: Response): Promise<string> {
  const body = await response.json() as { error: string };
  assert.equal(typeof body.error, "string");
  return body.error;
}

describe("examples/app.ts handler", () => {
  // debug: every returned buffer is detached, so a Response body that still
  // aliased pooled memory after its buffer went back would read as empty.
  const pool = new MemoryPool({ debug: true });
  const handle = createHandler({ pool });

  for (const size of MESSAGE_SIZES) {
    for (const format of MESSAGE_FORMATS) {
      test(`GET /messages/${size}?format=${format} is byte-exact`, async () => {
        const response = await handle(get(`/messages/${size}?format=${format}`));
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-type") ?? "", CONTENT_TYPE_PATTERNS[format]);
        assert.deepEqual(await bodyOf(response), expectedBytes(format, fixtures[size]));
      });
    }

    for (const format of MESSAGE_FORMATS) {
      for (const via of BODY_PATHS) {
        if (via === "native" && format !== "json") continue;
        test(`GET /messages/${size}?format=${format}&via=${via} is byte-exact`, async () => {
          const response = await handle(get(`/messages/${size}?format=${format}&via=${via}`));
          assert.equal(response.status, 200);
          const contentType = response.headers.get("content-type") ?? "";
          if (via === "native") assert.match(contentType, CONTENT_TYPE_PATTERNS[format]);
          else assert.equal(contentType, CONTENT_TYPES[format]);
          assert.deepEqual(await bodyOf(response), expectedBytes(format, fixtures[size]));
        });
      }
    }

    test(`GET /naive/${size} is the JSON.stringify baseline`, async () => {
      const response = await handle(get(`/naive/${size}`));
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual(await bodyOf(response), expectedBytes("json", fixtures[size]));
    });

    for (const format of MESSAGE_FORMATS) {
      test(`POST /echo?format=${format} re-serializes the ${size} message`, async () => {
        const sent = expectedBytes(format, fixtures[size]);
        const response = await handle(post(`/echo?format=${format}`, sent));
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), CONTENT_TYPES[format]);
        assert.deepEqual(await bodyOf(response), sent);
      });
    }
  }

  test("GET /messages/{size} defaults to JSON", async () => {
    const response = await handle(get("/messages/small"));
    assert.match(response.headers.get("content-type") ?? "", CONTENT_TYPE_PATTERNS.json);
    assert.deepEqual(await bodyOf(response), expectedBytes("json", fixtures.small));
  });

  test("both formats of a route decode to the same value", async () => {
    for (const size of MESSAGE_SIZES) {
      const json = await (await handle(get(`/messages/${size}?format=json`))).json();
      const msgpack = oracleDecode(
        await bodyOf(await handle(get(`/messages/${size}?format=msgpack`))),
      );
      assert.deepEqual(msgpack, json);
      assert.deepEqual(json, fixtures[size]);
    }
  });

  test("POST /echo round-trips random messages in both formats", async () => {
    const random = rng(0x5eed);
    for (let i = 0; i < 50; i++) {
      const message = {
        id: Math.floor(random() * 2 ** 31),
        text: "é€😀 ".repeat(Math.floor(random() * 40)),
        values: Array.from({ length: Math.floor(random() * 20) }, () => random() * 1000 - 500),
        nested: { ok: random() < 0.5, none: null, deep: { list: ["a", "b"] } },
      };
      for (const format of MESSAGE_FORMATS) {
        const sent = expectedBytes(format, message);
        const response = await handle(post(`/echo?format=${format}`, sent));
        assert.equal(response.status, 200, `seed 0x5eed, message ${i}, ${format}`);
        assert.deepEqual(await bodyOf(response), sent, `seed 0x5eed, message ${i}, ${format}`);
      }
    }
  });

  const malformed: [string, MessageFormat, Uint8Array | string, RegExp][] = [
    ["truncated JSON", "json", '{"id": 1', /Cannot deserialize JSON/],
    ["JSON with a bad token", "json", '{"id": tru}', /position/],
    ["empty JSON body", "json", "", /Cannot deserialize JSON/],
    [
      "invalid UTF-8 in JSON",
      "json",
      new Uint8Array([0x7b, 0xff, 0x7d]),
      /Cannot deserialize JSON/,
    ],
    ["truncated MessagePack", "msgpack", oracleEncode(fixtures.small).subarray(0, 40), /offset/],
    ["reserved byte 0xc1", "msgpack", new Uint8Array([0xc1]), /offset/],
    [
      "a str32 claiming 4 GiB",
      "msgpack",
      new Uint8Array([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]),
      /offset/,
    ],
    ["trailing bytes", "msgpack", new Uint8Array([0x80, 0x00]), /offset/],
    ["a bare number", "json", "42", /must be an object, got number/],
    ["an array", "msgpack", oracleEncode([1, 2]), /must be an object, got an array/],
    ["null", "json", "null", /must be an object, got null/],
  ];
  for (const [name, format, body, message] of malformed) {
    test(`POST /echo?format=${format} with ${name} is a 400 naming the problem`, async () => {
      const response = await handle(post(`/echo?format=${format}`, body));
      assert.equal(response.status, 400);
      assert.match(await errorOf(response), message);
    });
  }

  test("the handler keeps serving after malformed bodies", async () => {
    for (let i = 0; i < 20; i++) {
      assert.equal((await handle(post("/echo", "{oops"))).status, 400);
      const response = await handle(get("/messages/medium?format=msgpack"));
      assert.deepEqual(await bodyOf(response), expectedBytes("msgpack", fixtures.medium));
    }
  });

  test("an unknown body path, or native MessagePack, is a 400", async () => {
    for (
      const [path, message] of [
        ["/messages/small?format=json&via=stream", /Unknown path 'stream' for json/],
        ["/messages/small?format=msgpack&via=native", /Unknown path 'native' for msgpack/],
      ] as const
    ) {
      const response = await handle(get(path));
      assert.equal(response.status, 400, path);
      assert.match(await errorOf(response), message);
    }
  });

  test("each route takes the path its table names", async () => {
    // Every path gives the same bytes, so tell them apart by the pool: only `pooled` rents.
    const paths: RoutePaths = {
      json: { small: "native", medium: "owned", large: "pooled" },
      msgpack: { small: "owned", medium: "pooled", large: "owned" },
    };
    const counting = new MemoryPool();
    const routed = createHandler({ pool: counting, paths });
    for (const size of MESSAGE_SIZES) {
      for (const format of MESSAGE_FORMATS) {
        const before = counting.stats().rented;
        const response = await routed(get(`/messages/${size}?format=${format}`));
        assert.deepEqual(await bodyOf(response), expectedBytes(format, fixtures[size]));
        const rented = counting.stats().rented - before;
        assert.equal(rented > 0, paths[format][size] === "pooled", `${size} ${format}`);
      }
    }
    const shown = await (await routed(get("/paths"))).json() as { paths: RoutePaths };
    assert.deepEqual(shown.paths, paths);
  });

  test("GET /paths shows this runtime's row of ROUTE_PATHS by default", async () => {
    const body = await (await handle(get("/paths"))).json() as {
      platform: keyof typeof ROUTE_PATHS;
      paths: RoutePaths;
    };
    assert.ok(body.platform in ROUTE_PATHS, body.platform);
    assert.deepEqual(body.paths, ROUTE_PATHS[body.platform]);
  });

  test("an unknown format is a 400", async () => {
    for (const request of [get("/messages/small?format=xml"), post("/echo?format=yaml", "{}")]) {
      const response = await handle(request);
      assert.equal(response.status, 400);
      assert.match(
        await errorOf(response),
        /Unknown format '(xml|yaml)': expected json or msgpack/,
      );
    }
  });

  test("a body over the limit is a 413", async () => {
    const small = createHandler({ pool, maxBodyBytes: 64 });
    const response = await small(post("/echo", expectedBytes("json", fixtures.medium)));
    assert.equal(response.status, 413);
    assert.match(await errorOf(response), /exceeds the limit of 64 bytes/);
  });

  test("a streamed body is cut off at the limit", async () => {
    const small = createHandler({ pool, maxBodyBytes: 64 });
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(32).fill(0x20));
      },
    });
    const request = new Request(
      `${BASE}/echo`,
      { method: "POST", body: endless, duplex: "half" } as RequestInit,
    );
    const response = await small(request);
    assert.equal(response.status, 413);
    assert.match(await errorOf(response), /exceeds the limit of 64 bytes/);
    assert.ok(pulls < 10, `read ${pulls} chunks`);
  });

  test("unknown routes are 404", async () => {
    for (
      const path of [
        "/nope",
        "/messages/huge",
        "/messages",
        "/messages/small/extra",
        "/naive/",
        "/stats/x",
        "/paths/x",
      ]
    ) {
      const response = await handle(get(path));
      assert.equal(response.status, 404, path);
      assert.match(await errorOf(response), /Not found/);
    }
  });

  test("wrong methods are 405 with an Allow header", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/messages/small", "GET, HEAD"],
      ["PUT", "/naive/large", "GET, HEAD"],
      ["DELETE", "/stats", "GET, HEAD"],
      ["POST", "/paths", "GET, HEAD"],
      ["POST", "/", "GET, HEAD"],
      ["GET", "/echo", "POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await handle(new Request(BASE + path, { method }));
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get("allow"), allow);
      await response.body?.cancel();
    }
  });

  test("GET / is the self-contained dashboard", async () => {
    const response = await handle(get("/"));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const html = await response.text();
    assert.match(html, /<svg id="chart"/);
    for (const stat of ["outstanding", "hits", "misses", "rentsPerSecond", "retainedBytes"]) {
      assert.ok(html.includes(`data-stat="${stat}"`), stat);
    }
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no external resources");
  });

  test("responses outlive the return of their pooled buffers", async () => {
    // Build many responses before reading any: every pooled buffer behind them
    // has gone back to the (detaching) pool and been rented again by the next one.
    const random = rng(42);
    const requests: [MessageSize, MessageFormat][] = [];
    for (let i = 0; i < 300; i++) {
      requests.push([
        MESSAGE_SIZES[Math.floor(random() * 3)],
        MESSAGE_FORMATS[Math.floor(random() * 2)],
      ]);
    }
    const responses = await Promise.all(
      requests.map(([size, format]) =>
        handle(get(`/messages/${size}?format=${format}&via=pooled`))
      ),
    );
    for (let i = 0; i < responses.length; i++) {
      const [size, format] = requests[i];
      assert.deepEqual(
        await bodyOf(responses[i]),
        expectedBytes(format, fixtures[size]),
        `request ${i}`,
      );
    }
  });

  test("serializedResponse survives the return and reuse of its buffer on a plain pool", async () => {
    const plain = new MemoryPool();
    const serializer = new MsgPackSerializer({ pool: plain });
    const first = serializedResponse(serializer, fixtures.medium, undefined, plain);
    // The buffer is back in the pool: scribble over whatever the next renter gets.
    using scribble = plain.rentOwned(oracleEncode(fixtures.medium).length);
    scribble.bytes.fill(0xee);
    assert.deepEqual(await bodyOf(first), expectedBytes("msgpack", fixtures.medium));
    assert.equal(plain.stats().outstanding, 1);
  });

  test("the debug pool catches a pooled chunk returned before its body is read", async () => {
    // The anti-pattern serializedResponse avoids, to show the test above has teeth.
    const serializer = new MsgPackSerializer({ pool });
    const pooled = serializer.serializePooled(fixtures.small);
    const response = new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(pooled.bytes);
          controller.close();
        },
      }),
    );
    pooled.dispose();
    // Depending on the runtime the stale chunk reads as empty or the read throws.
    const body = await bodyOf(response).catch((error: Error) => error);
    assert.ok(
      body instanceof Error ? body instanceof TypeError : body.length === 0,
      `stale body read as ${String(body)}`,
    );
  });

  test("GET /stats reports the pool, with nothing outstanding at the end", async () => {
    const response = await handle(get("/stats"));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "no-store");
    const stats = await response.json() as ReturnType<MemoryPool["stats"]>;
    assert.deepEqual(stats, JSON.parse(JSON.stringify(pool.stats())));
    assert.ok(stats.rented > 0);
    assert.equal(stats.outstanding, 0);
    assert.equal(stats.rented, stats.returned);
    assert.deepEqual(stats.tiers.map((tier) => tier.name), ["small", "medium", "large"]);
  });
});

describe("examples/app.ts query parsing", () => {
  const handle = createHandler({ pool: new MemoryPool() });
  const typeOf = async (path: string) => {
    const response = await handle(get(path));
    await response.arrayBuffer();
    // Without parameters: Bun's Response.json adds "; charset=utf-8".
    return `${response.status} ${response.headers.get("content-type")?.split(";")[0]}`;
  };

  test("reads parameters in any order and ignores look-alike names", async () => {
    assert.equal(
      await typeOf("/messages/small?via=owned&format=msgpack"),
      "200 application/msgpack",
    );
    assert.equal(await typeOf("/messages/small?formats=msgpack&x=1"), "200 application/json");
    assert.equal(await typeOf("/messages/small?xformat=msgpack"), "200 application/json");
    assert.equal(await typeOf("/messages/small?&&format=msgpack&"), "200 application/msgpack");
  });

  test("takes the first of repeated parameters, as URLSearchParams does", async () => {
    assert.equal(
      await typeOf("/messages/small?format=msgpack&format=json"),
      "200 application/msgpack",
    );
  });

  test("decodes percent-encoded and '+' queries with the standard parser", async () => {
    assert.equal(await typeOf("/messages/small?format=ms%67pack"), "200 application/msgpack");
    assert.equal(
      await typeOf("/messages/small?%66ormat=msgpack&via=owned"),
      "200 application/msgpack",
    );
    assert.match(await typeOf("/messages/small?format=json+"), /^400 /);
  });

  test("a bare or empty value is not a format or path", async () => {
    assert.match(await typeOf("/messages/small?format"), /^400 /);
    assert.match(await typeOf("/messages/small?format=msgpack&via="), /^400 /);
  });

  test("/naive ignores the query", async () => {
    const response = await handle(get("/naive/small?format=msgpack&via=bogus"));
    assert.equal(response.status, 200);
    assert.deepEqual(await bodyOf(response), expectedBytes("json", fixtures.small));
  });
});

describe("examples/app.ts shared handler and helpers", () => {
  test("the exported handler serves MemoryPool.shared and leaves nothing outstanding", async () => {
    // Other suites may share this process and pool: compare against where it stood.
    const before = MemoryPool.shared.stats();
    // The pooled path on purpose: whether a default route pools depends on ROUTE_PATHS.
    for (const size of MESSAGE_SIZES) {
      for (const format of MESSAGE_FORMATS) {
        const response = await sharedHandler(get(`/messages/${size}?format=${format}&via=pooled`));
        assert.deepEqual(await bodyOf(response), expectedBytes(format, fixtures[size]));
      }
    }
    const stats = await (await sharedHandler(get("/stats"))).json() as ReturnType<
      MemoryPool["stats"]
    >;
    assert.ok(stats.rented > before.rented);
    assert.equal(stats.outstanding, before.outstanding);
  });

  test("portFrom reads PORT with a default of 8787", () => {
    assert.equal(portFrom(undefined), 8787);
    assert.equal(portFrom(""), 8787);
    assert.equal(portFrom("0"), 0);
    assert.equal(portFrom("9000"), 9000);
    for (const bad of ["x", "-1", "65536", "1.5"]) {
      assert.throws(() => portFrom(bad), RangeError);
    }
  });

  test("createHandler rejects a bad maxBodyBytes", () => {
    assert.throws(() => createHandler({ maxBodyBytes: 0 }), RangeError);
  });
});
