/**
 * End-to-end check of the example services: starts the Bun, Deno and Node servers in turn, fires
 * 2,000 concurrent requests at each across every route and format, checks every body byte-exact
 * against independent oracles (`JSON.stringify` + `TextEncoder`, `@msgpack/msgpack`), then that
 * `/stats` shows nothing outstanding. Each server runs twice: on the shared pool, and with
 * `POOL_DEBUG=1` (a debug pool detaches every returned buffer, so a body that still aliased pooled
 * memory would go out empty). Ends with `e2e: N passed, N failed`.
 * Run with Node 24: `node tools/e2e.ts [bun|deno|node ...]`.
 *
 * @module
 */
import process from "node:process";
import { runTool } from "./_tally.ts";
import { encode as msgpackOracle } from "@msgpack/msgpack";
import { fixtures } from "../dev/fixtures.ts";
import {
  EXAMPLE_SERVERS,
  type RunningServer,
  startExampleServer,
  stopServer,
} from "../dev/example_servers.ts";

const REQUESTS_PER_SERVER = 2000;
const READY_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** Keep-alive connections: 2,000 simultaneous connects overflow Bun's and Deno's accept queue. */
const MAX_CONNECTIONS = 256;

/** One kind of request and its response: the exact body, or a check of the text body. */
interface Case {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: Uint8Array;
  readonly status: number;
  readonly contentType: RegExp;
  readonly expect: Uint8Array | ((body: string) => boolean);
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();
const SIZES = ["small", "medium", "large"] as const;

function expected(format: "json" | "msgpack", value: unknown): Uint8Array {
  return format === "json" ? utf8.encode(JSON.stringify(value)) : msgpackOracle(value);
}

function buildCases(): Case[] {
  const json = /^application\/json/;
  const msgpack = /^application\/msgpack$/;
  const hasError = (pattern: RegExp) => (body: string) => pattern.test(JSON.parse(body).error);
  const c = (
    method: string,
    path: string,
    status: number,
    contentType: RegExp,
    expect: Case["expect"],
    more: Partial<Case> = {},
  ): Case => ({ label: `${method} ${path}`, method, path, status, contentType, expect, ...more });
  return [
    ...SIZES.flatMap((size) => [
      ...(["json", "msgpack"] as const).flatMap((format) => {
        const bytes = expected(format, fixtures[size]);
        const type = format === "json" ? json : msgpack;
        return [
          c("GET", `/messages/${size}?format=${format}`, 200, type, bytes),
          c("POST", `/echo?format=${format}`, 200, type, bytes, {
            label: `POST /echo?format=${format} (${size})`,
            body: bytes,
          }),
        ];
      }),
      c("GET", `/naive/${size}`, 200, json, expected("json", fixtures[size])),
    ]),
    c("POST", "/echo?format=json", 400, json, hasError(/Cannot deserialize JSON/), {
      label: "POST /echo malformed JSON",
      body: utf8.encode('{"id": 1,'),
    }),
    c("POST", "/echo?format=msgpack", 400, json, hasError(/offset/), {
      label: "POST /echo malformed MessagePack",
      body: expected("msgpack", fixtures.small).subarray(0, 50),
    }),
    c(
      "GET",
      "/",
      200,
      /^text\/html/,
      (body) => body.includes('data-stat="outstanding"') && body.includes('<svg id="chart"'),
    ),
    c("GET", "/stats", 200, json, (body) => typeof JSON.parse(body).outstanding === "number"),
    c("GET", "/unknown", 404, json, hasError(/Not found/)),
    c("DELETE", "/stats", 405, json, hasError(/Method not allowed/)),
  ];
}

/** Why a response is wrong, or `undefined` when it is right. */
async function verify(spec: Case, response: Response): Promise<string | undefined> {
  const [status, contentType] = [response.status, response.headers.get("content-type") ?? ""];
  const body = new Uint8Array(await response.arrayBuffer());
  if (status !== spec.status) return `status ${status}, expected ${spec.status}`;
  if (!spec.contentType.test(contentType)) return `content-type '${contentType}'`;
  if (spec.expect instanceof Uint8Array) {
    return Buffer.compare(body, spec.expect) === 0
      ? undefined
      : `body of ${body.length} bytes differs from the expected ${spec.expect.length}`;
  }
  try {
    return spec.expect(decoder.decode(body)) ? undefined : "unexpected body";
  } catch (error) {
    return `unreadable body: ${(error as Error).message}`;
  }
}

/** Every request, at most MAX_CONNECTIONS in flight (fetch keeps their connections alive). */
async function fire(base: string, cases: readonly Case[]) {
  const outcome = { passed: 0, corrupt: 0, errors: 0, failures: [] as string[] };
  const note = (message: string) => {
    if (outcome.failures.length < 10) outcome.failures.push(message);
  };
  let next = 0;
  await Promise.all(Array.from({ length: MAX_CONNECTIONS }, async () => {
    for (let i = next++; i < REQUESTS_PER_SERVER; i = next++) {
      const spec = cases[i % cases.length];
      try {
        // A copy: fetch's types take bodies on an ArrayBuffer, not any ArrayBufferLike.
        const [method, body] = [spec.method, spec.body?.slice()];
        const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        const problem = await verify(spec, await fetch(base + spec.path, { method, body, signal }));
        if (problem === undefined) outcome.passed++;
        else {
          outcome.corrupt++;
          note(`${spec.label}: ${problem}`);
        }
      } catch (error) {
        outcome.errors++;
        note(`${spec.label}: ${(error as Error).message}`);
      }
    }
  }));
  return outcome;
}

await runTool("e2e", async (tally) => {
  const wanted = process.argv.slice(2);
  // Node 26 serves the load bench; the e2e run keeps to one Node.
  const servers = EXAMPLE_SERVERS.filter((spec) =>
    wanted.length === 0 ? spec.name !== "node26" : wanted.includes(spec.name)
  );
  const cases = buildCases();
  for (const spec of servers) {
    for (const poolDebug of [false, true]) {
      const name = `${spec.name}${poolDebug ? " (debug pool)" : ""}`;
      let running: RunningServer | undefined;
      try {
        const env = { POOL_DEBUG: poolDebug ? "1" : "0" };
        running = await startExampleServer(spec.name, env, READY_TIMEOUT_MS);
        tally.passed++; // started and ready
        const started = performance.now();
        const outcome = await fire(running.base, cases);
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        // One check per server and mode: every body byte-exact, no errors.
        const requests =
          `${REQUESTS_PER_SERVER} concurrent requests (${MAX_CONNECTIONS} connections)`;
        const counts = `${outcome.passed} ok, ${outcome.corrupt} corrupt, ${outcome.errors} errors`;
        tally.check(
          `e2e ${name}: ${requests} over ${cases.length} routes in ${seconds} s: ${counts}`,
          outcome.passed === REQUESTS_PER_SERVER,
          outcome.failures.map((failure) => `\n  ${failure}`).join(""),
        );
        type Stats = { rented: number; returned: number; outstanding: number };
        const stats = await (await fetch(`${running.base}/stats`)).json() as Stats;
        const { rented, returned, outstanding } = stats;
        tally.check(
          `e2e ${name}: /stats rented ${rented}, returned ${returned}, outstanding ${outstanding}`,
          outstanding === 0 && rented === returned && rented > 0,
          "want outstanding 0, rented == returned > 0",
        );
      } catch (error) {
        tally.failed++;
        console.log(`e2e ${name}: FAILED: ${(error as Error).message}`);
      } finally {
        if (running !== undefined) await stopServer(running);
      }
    }
  }
  if (servers.length === 0) throw new Error(`no server matches ${wanted.join(", ")}`);
});
