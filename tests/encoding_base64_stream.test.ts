import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type Base64DecodeOptions,
  Base64DecoderStream,
  type Base64EncodeOptions,
  Base64EncoderStream,
} from "../encoding/mod.ts";
import { DEFAULT_API, type EncodingApi, JS_API } from "../encoding/_codec_api.ts";

/** Which functions a test runs: the package's routes ("auto") or the portable JS core ("js"). */
type Base64Implementation = "auto" | "js";
import { randomBytes, randomInt, rng } from "./_random.ts";

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const chunks: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

function source<T>(chunks: T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

async function encodeStream(parts: Uint8Array[], options?: Base64EncodeOptions): Promise<string> {
  return (await collect(source(parts).pipeThrough(new Base64EncoderStream(options)))).join("");
}

async function decodeStream(parts: string[], options?: Base64DecodeOptions): Promise<Uint8Array> {
  const chunks = await collect(source(parts).pipeThrough(new Base64DecoderStream(options)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function outcome(fn: () => Promise<Uint8Array>): Promise<string> {
  try {
    return "ok:" + [...await fn()].join(",");
  } catch (error) {
    return "error:" + (error as Error).name;
  }
}

function syncOutcome(fn: () => Uint8Array): string {
  try {
    return "ok:" + [...fn()].join(",");
  } catch (error) {
    return "error:" + (error as Error).name;
  }
}

/**
 * The one-shot functions the streams are checked against: the package's
 * routes, or the portable JS core (the streams themselves use the package's).
 */
let api: EncodingApi = DEFAULT_API;

async function withImpl(impl: Base64Implementation, fn: () => Promise<void>): Promise<void> {
  api = impl === "js" ? JS_API : DEFAULT_API;
  try {
    await fn();
  } finally {
    api = DEFAULT_API;
  }
}

const ENCODE_OPTIONS: Base64EncodeOptions[] = [
  {},
  { omitPadding: true },
  { alphabet: "base64url" },
  { alphabet: "base64url", omitPadding: true },
];

for (const impl of ["js", "auto"] as const) {
  describe(`base64 streams (${impl} implementation)`, () => {
    test("encoder: every two- and three-way split equals the one-shot result", async () => {
      await withImpl(impl, async () => {
        const random = rng(21);
        for (const length of [0, 1, 2, 3, 4, 5, 7, 11, 16]) {
          const bytes = randomBytes(random, length);
          for (const options of ENCODE_OPTIONS) {
            const expected = api.encodeBase64(bytes, options);
            for (let a = 0; a <= length; a++) {
              for (let b = a; b <= length; b++) {
                const parts = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
                assert.equal(await encodeStream(parts, options), expected, `${length} ${a} ${b}`);
              }
            }
          }
        }
      });
    });

    test("encoder: random chunkings of large inputs; every chunk but the last is whole groups", async () => {
      await withImpl(impl, async () => {
        const random = rng(22);
        for (let round = 0; round < 30; round++) {
          const bytes = randomBytes(random, randomInt(random, 0, round < 25 ? 3000 : 300000));
          const parts: Uint8Array[] = [];
          for (let at = 0; at < bytes.length;) {
            const n = randomInt(random, 0, Math.min(bytes.length - at, round < 25 ? 40 : 70000));
            parts.push(bytes.subarray(at, at + n));
            at += n;
          }
          const options = ENCODE_OPTIONS[round % 4];
          const chunks = await collect(source(parts).pipeThrough(new Base64EncoderStream(options)));
          for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.length % 4, 0);
          assert.equal(chunks.join(""), api.encodeBase64(bytes, options));
        }
      });
    });

    test("decoder: every two- and three-way split equals the one-shot result, valid or not", async () => {
      await withImpl(impl, async () => {
        const texts = [
          "",
          "QQ==",
          "QUI=",
          "QUJD",
          "QUJDRA==",
          "QUJDREU=",
          "QUJDRA",
          "QUJDREU",
          " QU JD\nRE U= \n",
          "QUJDR",
          "QQ=",
          "QQ=A",
          "QR==",
          "QUJD%A==",
          "QUJD====",
          "QQ==QQ==",
          "-_-_",
          "+/+/",
        ];
        const optionsList: Base64DecodeOptions[] = [
          {},
          { lastChunkHandling: "strict" },
          { lastChunkHandling: "stop-before-partial" },
          { alphabet: "base64url" },
        ];
        for (const text of texts) {
          for (const options of optionsList) {
            const expected = syncOutcome(() => api.decodeBase64(text, options));
            for (let a = 0; a <= text.length; a++) {
              for (let b = a; b <= text.length; b++) {
                const parts = [text.slice(0, a), text.slice(a, b), text.slice(b)];
                assert.equal(
                  await outcome(() => decodeStream(parts, options)),
                  expected,
                  `${JSON.stringify(parts)} ${JSON.stringify(options)}`,
                );
              }
            }
          }
        }
      });
    });

    test("decoder: random chunkings of large inputs with whitespace", async () => {
      await withImpl(impl, async () => {
        const random = rng(23);
        for (let round = 0; round < 30; round++) {
          const bytes = randomBytes(random, randomInt(random, 0, round < 25 ? 3000 : 300000));
          let text = api.encodeBase64(bytes, ENCODE_OPTIONS[round % 4]);
          if (round % 3 === 0) text = text.replace(/(.{76})/g, "$1\r\n");
          const parts: string[] = [];
          for (let at = 0; at < text.length;) {
            const n = randomInt(random, 0, Math.min(text.length - at, round < 25 ? 50 : 90000));
            parts.push(text.slice(at, at + n));
            at += n;
          }
          const alphabet = round % 4 >= 2 ? "base64url" as const : "base64" as const;
          assert.deepEqual(await decodeStream(parts, { alphabet }), bytes);
        }
      });
    });

    test("decoder errors name the index in the whole input", async () => {
      await withImpl(impl, async () => {
        await assert.rejects(
          decodeStream(["QUJD", "QUJD", "QU%D"]),
          {
            name: "SyntaxError",
            message: "Cannot decode base64: invalid character '%' at index 10",
          },
        );
        // deno-lint-ignore no-explicit-any
        await assert.rejects(decodeStream([1 as any]), TypeError);
        // deno-lint-ignore no-explicit-any
        await assert.rejects(encodeStream(["QQ" as any]), TypeError);
        // deno-lint-ignore no-explicit-any
        assert.throws(() => new Base64DecoderStream({ alphabet: "hex" as any }), TypeError);
      });
    });

    test("decoder: 10,000 one-space chunks after a partial group stay linear", async (t) => {
      await withImpl(impl, async () => {
        for (const mode of ["loose", "strict", "stop-before-partial"] as const) {
          // 10,000 chunks once; the other cases with 1,000 (the stream
          // machinery alone costs tens of µs per chunk).
          const spaces: string[] = new Array(1_000).fill(" ");
          const options = { lastChunkHandling: mode };
          const cases = [
            ["QUJD", "QQ", ...(mode === "loose" ? new Array(10_000).fill(" ") : spaces)],
            // The group completed at the end, after more whitespace.
            ["QUJD", "QQ", ...spaces, "Q", " ", "Q", ...spaces, "QUJD"],
            // Padding first, then the whitespace.
            ["QUJD", "QQ", "==", ...spaces],
          ];
          for (const parts of cases) {
            const started = performance.now();
            assert.equal(
              await outcome(() => decodeStream(parts, options)),
              syncOutcome(() => api.decodeBase64(parts.join(""), options)),
              `${mode}, ${parts.length} chunks`,
            );
            // Shown, not asserted (speed is for benches); it was quadratic.
            t.diagnostic(
              `${mode}, ${parts.length} chunks: ${(performance.now() - started).toFixed(1)} ms`,
            );
          }
        }
      });
    });
  });
}
