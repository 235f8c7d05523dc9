/**
 * Slab bench: an owned result carved from a shared chunk
 * ({@linkcode SlabAllocator}) against a fresh `ArrayBuffer` per result
 * (`new Uint8Array(n)`, `new Uint8Array(n)` + `set`, and
 * `Uint8Array.prototype.slice`), for n = 16 B … 8 KiB. Each call takes the
 * next length of a varied rotation between n/2 and n, so chunk boundaries
 * fall at varied places. The slab is timed with 8, 16, 32 and 64 KiB chunks
 * (results up to 8 KiB carved from the chunk), which is what sets
 * `DEFAULT_SLAB_CHUNK_SIZE` and `DEFAULT_SLAB_MAX_LENGTH`: the threshold is
 * the largest n where the slab still beats a fresh buffer on every runtime;
 * `DEFAULT_SLAB_MIN_LENGTH` is the smallest n where it beats `new Uint8Array(n)`.
 *
 * Run: node --expose-gc bench/slab.bench.ts | deno run -A --v8-flags=--expose-gc bench/slab.bench.ts | bun bench/slab.bench.ts
 *
 * @module
 */
import { SlabAllocator } from "../pool/mod.ts";
import { randomInt, rng } from "../dev/random.ts";
import {
  type Contender,
  contender,
  runtimeInfo,
  sizedGroups,
  timeGroups,
  warmUpVaried,
  writeResults,
} from "./_harness.ts";

/** One group's input: a source and a rotation of lengths in [n/2, n]. */
interface SlabInput {
  readonly source: Uint8Array;
  readonly lengths: Int32Array;
  next: number;
}

const ROTATION = 64;
const SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];
const CHUNKS = [8, 16, 32, 64].map((kib) => kib * 1024);

function inputFor(n: number, seed: number): SlabInput {
  const random = rng(seed);
  const lengths = Int32Array.from({ length: ROTATION }, () => randomInt(random, n >> 1, n));
  const source = Uint8Array.from({ length: n }, (_, i) => i * 31);
  return { source, lengths, next: 0 };
}

const nextLength = (input: SlabInput) => input.lengths[input.next++ & (ROTATION - 1)];

const kept = { allocation: true };
const owned = (
  id: string,
  name: string,
  fn: (input: SlabInput) => unknown,
  more: Partial<Contender<SlabInput>> = kept,
) =>
  contender<SlabInput>(id.startsWith("ours") ? "ours" : "peer", "encode", true, id, name, fn, more);

const contenders: Contender<SlabInput>[] = [
  owned("new Uint8Array", "new Uint8Array(n)", (input) => new Uint8Array(nextLength(input))),
  owned("new Uint8Array+set", "new Uint8Array(n) + set", (input) => {
    const length = nextLength(input);
    const out = new Uint8Array(length);
    out.set(input.source.subarray(0, length));
    return out;
  }, {}),
  owned(
    "Uint8Array.slice",
    "source.slice(0, n)",
    (input) => input.source.slice(0, nextLength(input)),
  ),
  owned(
    "ours.slab.allocate",
    "slab.allocate(n) (defaults)",
    (input) => SlabAllocator.shared.allocate(nextLength(input)),
  ),
  ...CHUNKS.map((chunkSize) => {
    // Every length up to 8 KiB carved: these time the chunk sizes, the defaults the row.
    const carveAll = { maxSlabLength: Math.min(8192, chunkSize), minSlabLength: 0 };
    const slab = new SlabAllocator({ chunkSize, ...carveAll });
    return owned(
      `ours.slab.copy(chunk ${chunkSize / 1024} KiB)`,
      `slab.copy, ${chunkSize / 1024} KiB chunks`,
      (input) => slab.copy(input.source, 0, nextLength(input)),
      { allocation: chunkSize === 8192 },
    );
  }),
];

const groups = sizedGroups("owned bytes", SIZES, contenders, (n) => inputFor(n, n));

// Every contender sees every size before timing, as a library call would.
warmUpVaried(groups, [{
  subject: "owned bytes",
  inputs: Array.from({ length: 200 }, (_, i) => inputFor(SIZES[i % SIZES.length], i)).flatMap(
    (input) => Array.from({ length: 20 }, () => input),
  ),
}]);

const entries = await timeGroups("slab", groups, "varied");
writeResults("slab", entries, {}, "varied");

console.log(`\nslab vs a fresh buffer (${runtimeInfo.id} ${runtimeInfo.version}), time ratio:`);
const header = ["n", "new", "new+set", "slice", ...CHUNKS.map((c) => `${c / 1024}K`)];
console.log(header.map((h) => h.padStart(8)).join(""));
for (const group of groups) {
  const ns = (contender: string) =>
    entries.find((e) => e.size === group.size && e.contender === contender)!.nsPerOp;
  const row = [
    group.size,
    ns("new Uint8Array").toFixed(1),
    ns("new Uint8Array+set").toFixed(1),
    ns("Uint8Array.slice").toFixed(1),
    ...CHUNKS.map((chunk) => {
      const best = Math.min(ns("new Uint8Array+set"), ns("Uint8Array.slice"));
      return `${(best / ns(`ours.slab.copy(chunk ${chunk / 1024} KiB)`)).toFixed(2)}x`;
    }),
  ];
  console.log(row.map((cell) => String(cell).padStart(8)).join(""));
}
