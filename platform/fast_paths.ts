/**
 * The one table of the fastest strict path per runtime and size: every
 * threshold and native-vs-JS choice of the library lives here, chosen by
 * measurement (bench/encoding.bench.ts, bench/serializers.bench.ts
 * with varied warm-up), never by "native first". Each entry says which bench
 * measured it. Internal.
 *
 * @module
 */
import { NODE_MAJOR, RUNTIME, type RuntimeKind } from "./runtime.ts";

/**
 * The rows of the table. A `*Max` value is the largest input (chars or bytes,
 * as named) for which the JS core wins on that runtime; above it the native
 * call is faster. 0 means "never JS"; `Infinity` means "always JS".
 */
export interface FastPaths {
  /**
   * `SlabAllocator` default chunk size, in bytes: on V8 a new chunk costs about
   * 2.5-3 µs whatever its size from 8 to 64 KiB (the backing store, not the
   * zero-fill: an unzeroed `Buffer.allocUnsafeSlow` chunk cost the same), so
   * results from a 16 KiB chunk paid up to twice the time of Node's
   * `Buffer.from` (whose pool is 64 KiB on Node 26). 64 KiB chunks, measured
   * 2026-12-05 (probe of `encodeUtf8`/`decodeBase64` with a slab per chunk
   * size): 512-char encode 2.2x faster on Node 26, 1.9x on Deno, 1.2x on
   * Node 24 than with 16 KiB chunks; a 1 KiB base64 decode 1.6x, 1.5x, 1.6x;
   * 32 KiB was in between. Each retained result pins its chunk, as a pooled
   * `Buffer` pins Node's pool.
   */
  readonly slabChunkSize: number;
  /**
   * `SlabAllocator` default largest carved result (bench/slab.bench.ts): 4 KiB
   * on V8 (at 8 KiB a fresh buffer won, 0.76-0.87x on Node 24); 0 on Bun,
   * where a view over a shared chunk costs more than a fresh small buffer
   * (0.33-0.75x from 16 B to 4 KiB), so every result gets its own buffer.
   */
  readonly slabMaxLength: number;
  /**
   * `SlabAllocator` default shortest carved result (bench/slab.bench.ts,
   * owned bytes): shorter results of `allocate`/`copy` get a fresh array. On
   * V8 a typed array of up to 64 bytes lives in the JS heap (no `ArrayBuffer`
   * backing store), which costs less than a carved view: the slab was
   * 0.78-0.94x of `new Uint8Array(n)` from 16 to 64 B on Node 24 and 0.86x at
   * 64 B on Node 26. Bun carves nothing (`slabMaxLength` 0), so 0 there.
   */
  readonly slabMinLength: number;
  /**
   * `encodeUtf8Into` (the bounded `encodeInto` contract): JS core up to this
   * many chars, then `TextEncoder.encodeInto` (bench/utf8_paths.bench.ts into).
   */
  readonly utf8EncodeJsMax: number;
  /**
   * `decodeUtf8`: JS core up to this many bytes, then the native decoder
   * (bench/utf8_paths.bench.ts decode).
   */
  readonly utf8DecodeJsMax: number;
  /**
   * Encoders with guaranteed room (`encodeUtf8` into the slab, pooled,
   * writer, serializers): the unchecked JS core up to this many chars, then
   * `encodeInto` (bench/utf8_paths.bench.ts encode, slab columns; into).
   */
  readonly utf8EncodeWithRoomJsMax: number;
  /**
   * `encodeUtf8` into the slab: the unchecked JS core up to this many chars,
   * then the native write (bench/seam_direct.bench.ts utf8, varied). Kept
   * apart from `utf8EncodeWithRoomJsMax`, which the MessagePack encoder reads.
   */
  readonly utf8EncodeSlabJsMax: number;
  /**
   * `encodeUtf8(text, { slab: null })` and results above the slab limit (an own exact
   * buffer): the JS core into a fresh array up to this many chars, then
   * `TextEncoder.encode` (bench/utf8_paths.bench.ts encode, "null" column).
   */
  readonly utf8EncodeOwnJsMax: number;
  /**
   * `utf8ByteLength`: Node's `Buffer.byteLength` from this many chars;
   * `Infinity` = always the JS count (bench/utf8_paths.bench.ts length).
   */
  readonly utf8ByteLengthNativeMin: number;
  /**
   * `decodeUtf8` above the JS range: Node's `utf8Slice` instead of
   * TextDecoder (bench/utf8_paths.bench.ts decode). Node only.
   */
  readonly utf8DecodeNodeBuffer: boolean;
  /**
   * `decodeUtf8` under `utf8DecodeNodeBuffer`: `utf8Slice` up to this many
   * bytes, the native decoder above (with the BOM probe where the row asks
   * for it: bench/seam_direct.bench.ts utf8, 64 Ki chars).
   */
  readonly utf8DecodeNodeBufferMax: number;
  /**
   * Writes with guaranteed room above the JS range (the slab, writers,
   * serializers): Node's `utf8Write`, which takes an offset, instead of
   * `encodeInto` on a fresh subarray (measured 1.2-1.4x into the slab on
   * Node 26, bench/utf8_paths.bench.ts slab columns). Node only. Own-buffer
   * results stay with `TextEncoder.encode`: `Buffer.byteLength` + `utf8Write`
   * into an exact array measured slower (bench/seam_direct.bench.ts utf8).
   */
  readonly utf8EncodeNodeBuffer: boolean;
  /**
   * A band of text lengths, in chars (`min <= length < max`), where
   * `encodeUtf8` results that may come from a slab but are beyond its range
   * come from Node's `Buffer.from`, re-viewed as a plain `Uint8Array`: a share
   * of Node's pool below `Buffer.poolSize / 2` bytes, as a slab result is a
   * share of a chunk. Own-buffer results never do. `[0, 0]`: no band. Node only.
   */
  readonly utf8EncodeBufferFromBand: readonly [min: number, max: number];
  /**
   * From this many chars, `encodeUtf8` results of their own buffer come from
   * Node's `Buffer.from` when the text's first chars are all Latin-1 (one
   * byte each in V8, where `Buffer.from` counts and copies faster than
   * `TextEncoder.encode`); other text stays with `TextEncoder.encode`, which
   * `Buffer.from` sizes twice for. At least `Buffer.poolSize / 2`, so that the
   * result has a buffer of its own. `Infinity`: never. Node only.
   */
  readonly utf8EncodeBufferFromLatin1Min: number;
  /**
   * `encodeUtf8`: return `TextEncoder.encode`'s own array at every length,
   * skipping the slab and the JS core, where that beats both (Bun:
   * bench/utf8_paths.bench.ts encode).
   */
  readonly utf8EncodeFreshNative: boolean;
  /**
   * `JsonSerializer.serialize`: encode `JSON.stringify`'s text into the slab
   * (`true`) or return `TextEncoder.encode`'s own array (`false`, faster on
   * JavaScriptCore, whose `encodeInto` costs more than its `encode`).
   */
  readonly jsonOwnedFromSlab: boolean;
  /** MessagePack strings up to this many bytes are decoded in JS (ASCII loop), longer natively. */
  readonly msgpackDecodeJsMax: number;
  /**
   * MessagePack str values too long for the decoder's value cache (over 16
   * bytes: ISO dates, ids, emails) are decoded in JS up to this many bytes
   * (at most 32), natively above (bench/deserialize_options.bench.ts, medium
   * and large, before/after in one process): where the native decoder has a
   * high per-call cost (Deno's and Bun's TextDecoder, Node 26) the JS loop
   * wins up to 32 bytes (Deno and Bun: 1.2-1.3x on medium and large).
   */
  readonly msgpackLongValueJsMax: number;
  /**
   * Short ASCII strings (MessagePack keys and values, via the UTF-8 core's
   * `decodeShortUtf8`) are built by `+=` of single characters (`true`,
   * fastest on JavaScriptCore) or by one `String.fromCharCode.apply` (V8).
   */
  readonly utf8ShortDecodeByConcat: boolean;
  /**
   * Native decoding keeps a leading BOM as data, so it uses an `ignoreBOM`
   * TextDecoder. Where that decoder is slower than the default one (Bun:
   * 2-3x), probe for a BOM and use the default decoder when there is none
   * (both give the same string then). Node 24 and Deno take the `ignoreBOM`
   * decoder without a probe: it decodes at 0.93-1.05x of the default one
   * there (fatal or not, 512 B-64 KiB, 2026-12-06), and the probe cost Node
   * 24's 64 KiB ASCII decode (seam_direct 0.86-0.89x with it, 0.97-0.98x
   * without). Node 26 keeps the probe (its row says why).
   */
  readonly utf8DecodeProbeBom: boolean;
  /** Base64 and hex: which decoder/encoder wins, and up to which size the JS core does. */
  readonly base64: Base64FastPaths;
}

/**
 * Which native call base64/hex uses above a `*JsMax` size: the runtime's TC39
 * `Uint8Array` built-in, Node's `Buffer` (with the strict checks the library
 * adds), or none. Where the named one is missing (a browser without the
 * built-ins), the JS core runs at every size.
 */
export type NativeCodec = "builtin" | "buffer" | "none";

/**
 * The base64/hex rows. A `*JsMax` is in input units (chars to decode, bytes
 * to encode): up to it the JS core runs, above it the `native` call does.
 */
export interface Base64FastPaths {
  /**
   * The native decoder for `decodeBase64` and `decodeBase64Pooled`. With
   * `"buffer"`, input that Buffer cannot be proven to decode strictly
   * (whitespace, say) goes to the built-in where there is one, else to the
   * JS core.
   */
  readonly decoder: NativeCodec;
  /**
   * Whether native decoders write owned results straight into a slab range
   * (`setFromBase64`/`setFromHex`/`Buffer#…Write` into the slab) instead of
   * taking `fromBase64`'s/`fromHex`'s own `ArrayBuffer`: a view of a slab
   * range is cheap on V8 and dear on JSC.
   */
  readonly nativeDecodeToSlab: boolean;
  /** The native decoder for `decodeBase64Into` (into caller memory). */
  readonly intoDecoder: NativeCodec;
  /** `decodeBase64`/`decodeBase64Pooled` (to owned or pooled bytes): JS core up to this many chars. */
  readonly decodeJsMax: number;
  /**
   * `decodeBase64` with default options (loose, standard alphabet): up to
   * this many chars, `atob` and one Latin-1 copy into the result (Node's
   * `latin1Write`; 0 elsewhere). The web's forgiving-base64 accepts exactly
   * what TC39's loose mode does; its errors go to the JS core for the index.
   */
  readonly decodeAtobMax: number;
  /**
   * `decodeBase64Into` with default options: up to this many chars, `atob`
   * and one Latin-1 copy into `dest` when the bytes fit with room to spare
   * (Node's `latin1Write`; 0 elsewhere).
   */
  readonly decodeIntoAtobMax: number;
  /** `decodeBase64Into` (into caller memory): JS core up to this many chars. */
  readonly decodeIntoJsMax: number;
  /** The native encoder for `encodeBase64` (to a string). */
  readonly encoder: NativeCodec;
  /** `encodeBase64` (to a string): JS core up to this many bytes. */
  readonly encodeJsMax: number;
  /**
   * `encodeBase64Into`, `writeBase64`, `encodeBase64Pooled` (into memory): the
   * JS core up to this many bytes; above it the string encoder of
   * `encodeBase64` (same route, same band) and one copy of its ASCII into the
   * destination (Node's or Bun's `latin1Write`, else `TextEncoder.encodeInto`), which
   * beats the JS core from a few hundred bytes up on every runtime measured.
   */
  readonly encodeIntoJsMax: number;
  /**
   * A band of sizes, in bytes (`min < length <= max`), where the into-memory
   * encoders go back to the JS core: a string of hundreds of KiB in V8's heap
   * costs more to make and collect, beside a live heap, than the JS core's
   * direct writes. `[0, 0]`: no band.
   */
  readonly encodeIntoJsBand: readonly [min: number, max: number];
  /**
   * Whether the into-memory encoders take the built-in `toBase64` (where the
   * runtime has it) instead of `encoder` and its band: Node 26 copies
   * `toBase64`'s string in 2.1-3.1x faster than the JS core writes from 96 KiB to
   * 1 MiB, while `base64Slice`'s 1 MiB string copies in 26x slower.
   */
  readonly encodeIntoBuiltin: boolean;
  /**
   * A band of sizes, in bytes (`min < length <= max`), where the built-in
   * `toBase64` beats `encoder` (Node 26: `toBase64` wins between a few KiB
   * and a few hundred KiB, Buffer below and above). `[0, 0]`: no band.
   */
  readonly encodeBuiltinBand: readonly [min: number, max: number];
  /** The native hex decoder for `decodeHex`/`decodeHexInto`. */
  readonly hexDecoder: NativeCodec;
  /** `decodeHex`/`decodeHexInto`/`decodeHexPooled`: JS loop up to this many chars. */
  readonly hexDecodeJsMax: number;
  /** The native hex encoder for `encodeHex`. */
  readonly hexEncoder: NativeCodec;
  /** `encodeHex`: JS loop up to this many bytes. */
  readonly hexEncodeJsMax: number;
  /**
   * `encodeHex`: above this many bytes, the runtime's own `Buffer#hexSlice`
   * (Bun's or Deno's) instead of `hexEncoder` (platform/runtime.ts
   * `BUN_BUFFER`, `DENO_BUFFER`: why); `Infinity`: never.
   */
  readonly hexEncodeShimSliceMin: number;
  /**
   * `encodeBase64` with default options: above this many bytes, Deno's own
   * `Buffer#base64Slice` instead of `encoder` (platform/runtime.ts
   * `DENO_BUFFER`: why); `Infinity`: never.
   */
  readonly encodeShimSliceMin: number;
  /**
   * The JS core reads and writes words (typed-array views) from this many
   * bytes up; below it a view costs more than it saves (about 10 ns on V8,
   * 40 ns on JavaScriptCore).
   */
  readonly jsWordPathMin: number;
  /** The JS decoder copies input in blocks from this many remaining chars; below, a charCodeAt loop. */
  readonly jsBlockMin: number;
}

/** The key the table is indexed by: the runtime, with Node split by major version. */
export type PlatformKey = Exclude<RuntimeKind, "node"> | "node24" | "node26";

/** The runtime's row key. Node before 26 uses the Node 24 row. */
export const PLATFORM_KEY: PlatformKey = RUNTIME === "node"
  ? (NODE_MAJOR >= 26 ? "node26" : "node24")
  : RUNTIME;

// Base64/hex rows. Measured 2026-12-01 side by side in one process per runtime
// (candidates interleaved over 21 rounds, 16 varied inputs per size, medians of
// per-round ratios) at 64 B, 1 KiB, 64 KiB and 1 MiB: the raw built-ins
// (fromBase64, setFromBase64 into a slab range, toBase64, fromHex, toHex), Node's
// Buffer (base64Write/hexWrite with the library's strict checks, base64Slice,
// hexSlice) and the JS core. Ratios below are candidate time / fastest time.
// The host was heavily loaded (load average ~16 on 2 cores): ratios within
// about ±20% are noise; the choices rest on the large gaps.
const NO_BAND = [0, 0] as const;
/**
 * The most bytes whose base64 Node's `Buffer` returns as a string in V8's heap: a longer one (more
 * than `EXTERN_APEX`, 0xFBEE9 chars, src/string_bytes.cc) is external, in memory from malloc.
 * With a live heap, a heap string of hundreds of KiB is dear (V8's large-object space and the
 * marking it brings on), an external one is not: seam_direct, 2026-12-06, Node 26, 1 MiB encode,
 * `Buffer#toString(base64)` 0.28-0.42 ms against `toBase64` 0.47-0.62 ms; a probe beside 300,000
 * live objects, `toBase64` route / Buffer route time: 0.74 at 64 KiB, 0.68 at 128 KiB, 1.08 at
 * 256 KiB, 0.99 at 512 KiB, 19 at 1 MiB. Node 24, into memory, JS core / Buffer route: 1.0 at
 * 64 KiB, 0.12-0.13 from 128 to 512 KiB, 2.7 at 1 MiB.
 */
const NODE_HEAP_BASE64_MAX = Math.floor(0xfbee9 / 4) * 3;
// Node 24 has no built-ins. Buffer (verified) decodes 1.8x faster than the JS
// core at 64 B and 7-27x above; into caller memory it pays a scratch copy, so
// the JS core wins at 64 B (1.0 vs 1.06) and loses 4.4x at 1 KiB. Buffer
// encodes 3.9-56x faster than the JS core; hex: Buffer 2.2-22x faster.
// Into memory (encodeIntoJsMax; measured 2026-12-05, two createCodecs rows
// timed side by side, JS core time / (base64Slice + latin1Write) time, medians
// of 9 interleaved CPU-time rounds, varied warm-up): 0.84 at 64 B, 1.00 at
// 96 B, 1.09 at 128 B, 1.30 at 256 B, 2.1 at 1 KiB; confirmed by
// bench/seam_direct.bench.ts base64 (encodeInto, before/after). At 1 MiB the
// JS core won again in two seam_direct runs (5.5-5.7x the direct call, the
// native route 1.2-1.4x; a string that big goes to V8's large-object space),
// so the native route stops at 96 KiB (64 KiB: native 0.72-0.77x, JS 0.35x)
// and resumes where Buffer's string is external (NODE_HEAP_BASE64_MAX: why).
// decodeBase64Into with default options: atob + latin1Write up to 1368 chars
// (1 KiB): "atob + write(latin1)" was the best strict direct call in seam_direct
// at 64 B and 1 KiB; two createCodecs rows side by side, current route time /
// atob route time: 1.34 at 88 chars, 1.50 at 172, 1.22 at 684, 0.82 at 1368.
// At 1368 the two routes are within noise (2026-12-06, same probe with CPU time
// and a GC per round: direct / route 0.88-0.89 atob, 0.87-0.95 Buffer; Buffer
// 1.15-2.3 vs atob 0.90-1.21 at 2732 chars), and seam_direct's 1 KiB cell went
// from 0.89x and 0.91x (Buffer route, the strict proof and a scratch copy) to
// 0.96x and 0.98x with atob (before/after, five processes each), hence 1368.
// decodeBase64 with default options: atob + latin1Write up to 128 Ki chars.
// seam_direct had "atob + latin1 copy" 1.4x ours (Buffer with the strict
// checks) at 64 KiB; two createCodecs rows timed after a full GC each: Buffer
// route time / atob route time 0.93 at 64 B, 2.1 at 1 KiB, 2.5 at 4 KiB, 8.2 at
// 64 KiB, 0.65 at 1 MiB (Node 24's atob is slow that big).
const BASE64_NODE24: Base64FastPaths = {
  decoder: "buffer",
  nativeDecodeToSlab: true,
  intoDecoder: "buffer",
  decodeJsMax: 63,
  decodeAtobMax: 128 * 1024,
  decodeIntoAtobMax: 1368,
  decodeIntoJsMax: 127,
  encoder: "buffer",
  encodeJsMax: 0,
  encodeIntoJsMax: 96,
  encodeIntoJsBand: [96 * 1024, NODE_HEAP_BASE64_MAX],
  encodeIntoBuiltin: false,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "buffer",
  hexDecodeJsMax: 0,
  hexEncoder: "buffer",
  hexEncodeJsMax: 0,
  hexEncodeShimSliceMin: Infinity,
  encodeShimSliceMin: Infinity,
  jsWordPathMin: 96,
  jsBlockMin: 128,
};
// Node 26.10 (re-measured 2026-12-05, bench/seam_direct.bench.ts base64,
// varied): the built-in now decodes fastest at every size: setFromBase64 into
// a slab range 64 B-4 KiB, fromBase64 above (Buffer with the library's
// strict checks was 0.04-0.76x of fromBase64 from 1 KiB to 1 MiB, the JS core
// 0.13x at 1 KiB). Into caller memory setFromBase64 wins (JS core 1.8x at 64 B).
// Encode: Buffer's base64Slice wins at 64 B (toBase64 0.79-0.92x of it in
// seam_direct); toBase64 wins from 1 KiB up, hence the band above 64 B. An
// older mitata probe (bench/encoding.bench.ts) had base64Slice 5.2x faster at
// 1 MiB, but seam_direct (the judge: CPU time, a full GC per round, so each
// call pays for its 1.4 MB string) had toBase64 2.2-3.8x faster than
// base64Slice at 1 MiB in three runs (2026-12-05). Those runs let the
// allocator hand out fresh pages per round (bench/_fresh_processes.ts); held
// steady, base64Slice's external string won at 1 MiB, so the band now ends at
// NODE_HEAP_BASE64_MAX (1 MiB encode 0.38x -> 0.98x, 2026-12-06).
// Hex: toHex/fromHex lose to Buffer 1.25-56x at every size (fromHex is 20x
// slower at 1 KiB). Into memory: the JS core up to
// 256 B, then the string encoder + latin1Write (JS core / native time, same
// probe as Node 24: 0.86 at 64 B, 0.98 at 192 B, 1.04 at 256 B, 1.24 at 512 B,
// 1.83 at 1 KiB; bench/seam_direct.bench.ts base64 encodeInto), at every size
// above with toBase64's string (2026-12-05, CPU time, a full GC per sample:
// JS core / toBase64 + latin1Write 2.8x at 64 KiB, 2.1x at 256 KiB, 3.1x at 1 MiB;
// base64Slice + latin1Write was 26x toBase64's time at 1 MiB). Default-option
// decodes take atob + latin1Write into the slab (the
// "atob + latin1 copy" direct call beat setFromBase64 into the slab 1.7x at 64 B,
// bench/encoding.bench.ts; two createCodecs rows side by side, setFromBase64
// route time / atob route time: 1.25 at 88 chars, 1.13 at 344, 1.02 at 512,
// 0.85 at 1368; on Node 24 atob never won: 0.75-1.02). In seam_direct, though
// (CPU time, a full GC before each round), "atob + latin1 copy" was the best
// strict direct call at every size and beat the fromBase64 route 1.3-2.6x from
// 1 KiB to 1 MiB in two runs; the same two rows timed with a full GC before
// each measurement: native route time / atob route time 1.2 at 64 B, 0.75 at
// 1 KiB, 2.6 at 4 KiB, 3.9 at 64 KiB, 9.3 at 1 MiB. Those runs let glibc hand
// each new 1 MiB buffer fresh pages (bench/_fresh_processes.ts says why); with
// its allocator held steady, fromBase64 wins from 1 KiB up (seam_direct,
// 2026-12-06: the atob route 0.45x of it at 64 KiB, 0.58x at 1 MiB; a probe
// beside 300,000 live objects, atob route / native route time: 1.04 at 768 B,
// 1.19 at 1 KiB, 1.27 at 4 KiB, 1.7 at 64 KiB, 1.5 at 1 MiB). So default-option
// decodes take atob up to 1024 chars only.
// decodeBase64Into with default options: atob + latin1Write up to 512 chars
// (probe side by side, 2026-12-05, direct-call time / route time, varied
// warm-up: atob route 0.97-1.0 vs setFromBase64 0.82-0.88 at 88 chars, 1.0
// vs 0.91 at 344, 0.98 vs 0.99 at 684; "atob+write(latin1)" was the best
// strict direct call in seam_direct at 64 B, setFromBase64 at 1 KiB).
const BASE64_NODE26: Base64FastPaths = {
  decoder: "builtin",
  nativeDecodeToSlab: true,
  intoDecoder: "builtin",
  decodeJsMax: 0,
  decodeAtobMax: 1024,
  decodeIntoAtobMax: 512,
  decodeIntoJsMax: 0,
  encoder: "buffer",
  encodeJsMax: 0,
  encodeIntoJsMax: 256,
  encodeIntoJsBand: NO_BAND,
  encodeIntoBuiltin: true,
  encodeBuiltinBand: [64, NODE_HEAP_BASE64_MAX],
  hexDecoder: "buffer",
  hexDecodeJsMax: 0,
  hexEncoder: "buffer",
  hexEncodeJsMax: 0,
  hexEncodeShimSliceMin: Infinity,
  encodeShimSliceMin: Infinity,
  jsWordPathMin: 96,
  jsBlockMin: 128,
};
// Deno: its own Buffer's slices encode above 128 KiB (base64) and 64 KiB (hex)
// (platform/runtime.ts DENO_BUFFER: why). seam_direct, before/after, three
// processes: base64 1 MiB 0.45x -> 1.06x, hex 1 MiB 0.48x -> 0.99x. Hex's
// threshold sits just below toHex's cliff: a bare process (a one-off probe,
// Deno 2.9.6, not in bench/, 2026-12-06) read toHex / slice time at 0.44 for
// 64-65 KiB, 0.64 at 67 KiB and 3.3-5.6 from 69 KiB on (1.8 at 128 KiB, 4.4 at
// 256 KiB). At 64 KiB toHex has had two regimes by run: 29-67 us with the
// slice at 18-22 us in older full runs, 13-15 us against the slice's 16-30 us
// in every process of the full runs at d580b67 and ef6dad3, where the slice
// from 32 KiB read 0.81x and 0.87x. Moving the slice to above 64 KiB, one run
// before/after, three groups of eleven processes: 0.94x -> 0.99x, 0.90x ->
// 0.97x, 0.94x -> 0.91x (toHex and the slice within noise of each other there).
// The full run at 74ce7d5 then had the other regime again (toHex 17-24 us, the
// slice 14-21 us: 0.81x), so at 64 KiB either route misses in some runs; toHex
// stays, the faster in a bare process (2.3-3.1x; 1.4-1.8x with the bench's
// GLIBC_TUNABLES) and in two of the last three full runs.
// Deno: setFromBase64 into a slab range beats fromBase64 at 64 B-64 KiB
// (fromBase64 1.27-2.45x; JS core 1.32-3.8x at 64 B/1 KiB). The built-ins
// win everything else (JS core 2.3-56x slower). Into memory: JS core up to
// 384 B, then toBase64 + TextEncoder.encodeInto (JS core / native time, same
// probe as Node 24: 0.84 at 256 B, 1.02 at 384 B, 1.17 at 512 B, 1.59 at 1 KiB;
// bench/seam_direct.bench.ts base64 encodeInto).
const BASE64_DENO: Base64FastPaths = {
  decoder: "builtin",
  nativeDecodeToSlab: true,
  intoDecoder: "builtin",
  decodeJsMax: 0,
  decodeAtobMax: 0,
  decodeIntoAtobMax: 0,
  decodeIntoJsMax: 0,
  encoder: "builtin",
  encodeJsMax: 0,
  encodeIntoJsMax: 384,
  encodeIntoJsBand: NO_BAND,
  encodeIntoBuiltin: true,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "builtin",
  hexDecodeJsMax: 0,
  hexEncoder: "builtin",
  hexEncodeJsMax: 0,
  hexEncodeShimSliceMin: 64 * 1024,
  encodeShimSliceMin: 128 * 1024,
  jsWordPathMin: 96,
  jsBlockMin: 128,
};
// Bun: a view of a slab range is dear on JSC: setFromBase64 into the slab is
// 2.3-2.5x fromBase64 at 64 B and 1.4-1.9x at 1 KiB, so owned results take
// fromBase64's/fromHex's own buffer. The built-ins win everything (JS core
// 2.8-86x slower). Into memory: the JS core up to 48 B, toBase64's string
// copied in above. An earlier "JS core everywhere" rested on seam_direct rounds
// after `Bun.gc(true)`, which slowed every allocation that followed
// (bench/_harness.ts fullGc). Re-measured 2026-12-05 in seam_direct (JSC
// fullGC, untimed laps first): JS core time / native time 0.7-1.0 at 64 B,
// 1.4-2.1 at 1 KiB and 4 KiB; at 64 KiB and 1 MiB the direct calls took
// 0.59x and 0.82x of the JS core's time (five processes), and the native route
// went from 0.34x/0.36x to 0.87x/1.00x of them (before/after, three processes).
// The JS core's top re-measured 2026-12-06, with the copy now Bun's latin1Write
// (platform/runtime.ts BUN_BUFFER; two createCodecs rows side by side, varied
// warm-up, toBase64 + encodeInto time / route time): JS core 1.08-1.16 at 40 B,
// 1.02-1.09 at 48, 0.95-1.06 at 56, 0.92-0.97 at 64 B; native 0.97-1.04 at 40-64 B,
// 1.03-1.08 at 1 KiB. So 48 B, not 64.
const BASE64_BUN: Base64FastPaths = {
  decoder: "builtin",
  nativeDecodeToSlab: false,
  intoDecoder: "builtin",
  decodeJsMax: 0,
  decodeAtobMax: 0,
  decodeIntoAtobMax: 0,
  decodeIntoJsMax: 0,
  encoder: "builtin",
  encodeJsMax: 0,
  encodeIntoJsMax: 48,
  encodeIntoJsBand: NO_BAND,
  encodeIntoBuiltin: true,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "builtin",
  hexDecodeJsMax: 0,
  hexEncoder: "builtin",
  hexEncodeJsMax: 0,
  hexEncodeShimSliceMin: 2048,
  encodeShimSliceMin: Infinity,
  jsWordPathMin: 1536,
  jsBlockMin: 320,
};
// Browsers and workerd: not measured here; V8-like, so Deno's row. Where the
// built-ins are missing, every path resolves to the JS core (encoding/_codecs.ts).
const BASE64_OTHER: Base64FastPaths = BASE64_DENO;

/** Browsers and workerd: not measured here; V8-like defaults, no Node Buffer. */
const V8_DEFAULT_ROW: FastPaths = {
  slabChunkSize: 64 * 1024,
  slabMaxLength: 4 * 1024,
  slabMinLength: 65,
  utf8EncodeJsMax: 8,
  utf8DecodeJsMax: 16,
  utf8EncodeWithRoomJsMax: 16,
  utf8EncodeSlabJsMax: 16,
  utf8EncodeOwnJsMax: 16,
  utf8ByteLengthNativeMin: Infinity,
  utf8DecodeNodeBuffer: false,
  utf8DecodeNodeBufferMax: 0,
  utf8EncodeNodeBuffer: false,
  utf8EncodeBufferFromBand: [0, 0],
  utf8EncodeBufferFromLatin1Min: Infinity,
  utf8EncodeFreshNative: false,
  jsonOwnedFromSlab: true,
  msgpackDecodeJsMax: 16,
  msgpackLongValueJsMax: 32,
  utf8ShortDecodeByConcat: false,
  utf8DecodeProbeBom: true,
  base64: BASE64_OTHER,
};

/** Node 24 and Node 26 measured alike on everything but base64/hex and long msgpack values. */
const NODE_ROW: Omit<FastPaths, "base64" | "msgpackLongValueJsMax"> = {
  slabChunkSize: 64 * 1024,
  slabMaxLength: 4 * 1024,
  slabMinLength: 65,
  utf8EncodeJsMax: 8,
  utf8DecodeJsMax: 16,
  utf8EncodeWithRoomJsMax: 16,
  utf8EncodeSlabJsMax: 8,
  utf8EncodeOwnJsMax: 16,
  utf8ByteLengthNativeMin: 16,
  utf8DecodeNodeBuffer: true,
  utf8DecodeNodeBufferMax: 16 * 1024,
  utf8EncodeNodeBuffer: true,
  utf8EncodeBufferFromBand: [0, 0],
  utf8EncodeBufferFromLatin1Min: Infinity,
  utf8EncodeFreshNative: false,
  jsonOwnedFromSlab: true,
  msgpackDecodeJsMax: 16,
  utf8ShortDecodeByConcat: false,
  utf8DecodeProbeBom: false,
};

// UTF-8 re-measured 2026-12-05 (bench/seam_direct.bench.ts utf8, varied, before/after in one
// process; host load 7-10 on 2 cores, so about ±10% is noise). Both Node versions: the JS core
// into the slab only up to 8 chars (at 16 chars it was 0.59-0.80x of Buffer.from on Node 26,
// utf8Write 0.82-1.02x). No BOM probe on Node 24, a probe on Node 26 (see `utf8DecodeProbeBom`).

// decodeUtf8 above the JS range, re-measured 2026-12-05 with the fixed seam_direct harness (each
// group in three fresh processes; the older figures came from runs whose batch probe sometimes
// charged a syscall per call). Per process, ours (utf8Slice) / TextDecoder.decode time:
// Node 24: 64 B ASCII 0.94-1.27, 512 B ASCII 1.01-1.44, 4 KiB ASCII 1.0-1.33; mixed text within
// ±10% at 64 B-512 B. Node 26: 64-512 B ASCII 0.78-0.87 (utf8Slice faster), 4 KiB ASCII
// 1.19-1.41, mixed within ±10%. So utf8Slice up to 256 bytes on Node 24 and 2 KiB on Node 26,
// the default TextDecoder (ASCII fast path) above.

/** Node 24's UTF-8 rows where they differ from Node 26's. */
const NODE24_UTF8: Partial<FastPaths> = {
  utf8DecodeNodeBufferMax: 256,
};

/**
 * Node 26's UTF-8 rows where they differ from Node 24's. The BOM probe stays on Node 26: a
 * probe had its byte read cost 4-10% at 64 KiB of mixed text, but seam_direct, before (probe)
 * / after (none), five groups of five or ten processes, 2026-12-06, had 4 KiB mixed at
 * 0.98/0.99/1.13/0.95/1.03x with the probe and 0.89/0.87/0.88/1.05/0.87x without, 64 KiB
 * mixed 1.03x against 1.01x on average, ASCII alike.
 */
const NODE26_UTF8: Partial<FastPaths> = {
  utf8DecodeNodeBufferMax: 2048,
  // Node 26's Buffer.from pools results below 32 KiB (poolSize 64 KiB; Node 24: below 4 KiB),
  // so at 4,096 chars it beat TextEncoder.encode's own buffers: seam_direct read ours at 0.62x
  // (ASCII) and 0.85x (mixed) of it (2026-12-06). Its share re-viewed, one-run before/after:
  // 0.71x -> 1.05x and 0.86x -> 0.99x. At 65,536 chars (its own buffer, sized twice for mixed
  // text) mixed went 0.98x -> 0.87x, hence the band's top (ASCII went 0.89x -> 0.99x). Shorter
  // text stays with the slab: the band tried ahead of it read 0.77x/0.80x at 64 chars
  // (ASCII/mixed) and 0.81x at 512 ASCII, against the slab's 0.95x/0.95x and 0.88x, as the
  // re-view is a second array (one run, five processes each, 2026-12-06).
  utf8EncodeBufferFromBand: [4096, 32 * 1024],
  // From the band's top, one-byte text only: in the full runs at d580b67 and ef6dad3,
  // Buffer.from(string) took 0.86-0.99 of TextEncoder.encode's time at 65,536 ASCII chars in
  // every process, and 1.08-1.11 at 65,536 mixed ones. Before/after in one run (eleven and
  // five processes, 2026-12-06): ASCII 0.88x -> 0.98x of Buffer.from, mixed 1.00x -> 1.00x of
  // TextEncoder.encode; JSON serialize large (one byte a char) 0.98x -> 0.98x.
  utf8EncodeBufferFromLatin1Min: 32 * 1024,
  utf8DecodeProbeBom: true,
};

/**
 * Per runtime, measured on Node 24.9, Node 26.10, Deno 2.9.6, Bun 1.4.5.
 * UTF-8 rows: bench/utf8_paths.bench.ts with varied warm-up, medians of
 * interleaved CPU-time rounds on a shared 2-core machine; where JS and native
 * were within noise (about ±15% there), the smaller JS range was kept.
 */
export const FAST_PATH_TABLE: Readonly<Record<PlatformKey, FastPaths>> = {
  // Long msgpack values, deserialize against the tree before the JS range
  // (5c8d46c), paired rounds of the deserialize_options fixtures: on Node 24
  // utf8Slice beats the JS loop from 17 bytes (medium 0.93-0.96x at 32,
  // 0.97-1.0x at 16); on Node 26 the JS loop wins up to 32 (medium and large
  // 0.93-0.97x at 16, 0.99-1.04x at 32).
  node24: { ...NODE_ROW, ...NODE24_UTF8, msgpackLongValueJsMax: 16, base64: BASE64_NODE24 },
  node26: { ...NODE_ROW, ...NODE26_UTF8, msgpackLongValueJsMax: 32, base64: BASE64_NODE26 },

  deno: {
    slabChunkSize: 64 * 1024,
    slabMaxLength: 4 * 1024,
    // A fresh `new Uint8Array(16..64)` gets a backing store on Deno: the slab measured 5-8x
    // faster there (bench/slab.bench.ts, two runs), so it carves every length.
    slabMinLength: 0,
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 24,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeSlabJsMax: 16,
    utf8EncodeOwnJsMax: 0,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8DecodeNodeBufferMax: 0,
    utf8EncodeNodeBuffer: false,
    utf8EncodeBufferFromBand: [0, 0],
    utf8EncodeBufferFromLatin1Min: Infinity,
    utf8EncodeFreshNative: false,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackLongValueJsMax: 32,
    utf8ShortDecodeByConcat: false,
    utf8DecodeProbeBom: false,
    base64: BASE64_DENO,
  },
  bun: {
    slabChunkSize: 16 * 1024,
    slabMaxLength: 0,
    slabMinLength: 0,
    // encodeInto at every length: with the JS loop up to 8 chars, 8 mixed chars read 0.84-0.92x
    // of encodeInto (handing non-ASCII to encodeInto after the JS ASCII prefix: 0.88x); native
    // reads 0.96x mixed and 0.94x ASCII, where the JS loop read 1.40x (bench/seam_direct.bench.ts
    // utf8, eleven processes, 2026-12-06). Every call >= 0.9x of the direct call wins over that.
    utf8EncodeJsMax: 0,
    // TextDecoder at every length: the JS loop builds a short string by `+=`, one JSC string
    // per char, and was 0.25-0.30x of TextDecoder.decode at 8 ASCII bytes in the bench's heap
    // (bench/seam_direct.bench.ts utf8, 2026-12-05; native: 1.09x, 8 mixed within noise).
    utf8DecodeJsMax: 0,
    utf8EncodeWithRoomJsMax: 8,
    utf8EncodeSlabJsMax: 8,
    utf8EncodeOwnJsMax: 0,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8DecodeNodeBufferMax: 0,
    utf8EncodeNodeBuffer: false,
    utf8EncodeBufferFromBand: [0, 0],
    utf8EncodeBufferFromLatin1Min: Infinity,
    utf8EncodeFreshNative: true,
    jsonOwnedFromSlab: false,
    msgpackDecodeJsMax: 12,
    msgpackLongValueJsMax: 32,
    utf8ShortDecodeByConcat: true,
    utf8DecodeProbeBom: true,
    base64: BASE64_BUN,
  },
  // Browsers and workerd: V8-like defaults, no Node Buffer.
  workerd: V8_DEFAULT_ROW,
  other: V8_DEFAULT_ROW,
};

/** The row this process uses. */
export const FAST_PATHS: FastPaths = FAST_PATH_TABLE[PLATFORM_KEY];
