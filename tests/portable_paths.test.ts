import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { encodeBase64, encodeHex, JsonSerializer, MsgPackSerializer } from "../mod.ts";
import { portableSamples } from "./_portable_samples.ts";

/** How to run a script with the runtime running this test. */
function scriptCommand(script: string): string[] {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  if (g.Deno) return [process.execPath, "run", "-A", "--quiet", script];
  return [process.execPath, script];
}

describe("portable paths (no global Buffer, as on edge runtimes)", () => {
  test("serializers and encoders give the same bytes without Buffer", async () => {
    const [command, ...args] = scriptCommand(
      fileURLToPath(new URL("./_without_buffer.ts", import.meta.url)),
    );
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        if (error) reject(new Error(`${error.message}\n${err}`));
        else resolve(out);
      });
    });
    const child = JSON.parse(stdout) as {
      bufferGone: boolean;
      out: { msgpack: string; decoded: string; json: string }[];
    };
    assert.ok(child.bufferGone, "the child still had a global Buffer");
    const msgpack = new MsgPackSerializer();
    const json = new JsonSerializer();
    const samples = portableSamples();
    assert.equal(child.out.length, samples.length);
    samples.forEach((value, i) => {
      const packed = msgpack.serialize(value);
      assert.equal(child.out[i].msgpack, encodeHex(packed), `msgpack sample ${i}`);
      // Lone surrogates become U+FFFD on every path, so compare decodes, not the original.
      assert.equal(
        child.out[i].decoded,
        JSON.stringify(msgpack.deserialize(packed)),
        `decode ${i}`,
      );
      assert.equal(child.out[i].json, encodeBase64(json.serialize(value)), `json sample ${i}`);
    });
  });
});
