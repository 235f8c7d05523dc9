/**
 * Child process for tests/portable_paths.test.ts: removes the global `Buffer`
 * before loading the module, as on edge runtimes that have none, then prints
 * what the serializers and encoders produce for the shared sample values.
 *
 * @module
 */
delete (globalThis as { Buffer?: unknown }).Buffer;

const { encodeBase64, encodeHex, JsonSerializer, MsgPackSerializer } = await import("../mod.ts");
const { portableSamples } = await import("./_portable_samples.ts");

const msgpack = new MsgPackSerializer();
const json = new JsonSerializer();
const out = portableSamples().map((value) => {
  const packed = msgpack.serialize(value);
  return {
    msgpack: encodeHex(packed),
    decoded: JSON.stringify(msgpack.deserialize(packed)),
    json: encodeBase64(json.serialize(value)),
  };
});
console.log(JSON.stringify({ bufferGone: typeof globalThis.Buffer === "undefined", out }));
