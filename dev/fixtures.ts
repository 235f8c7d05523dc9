/**
 * Deterministic messages shared by benches, tests and examples: JSON-compatible (no `Date`,
 * `undefined` or bigint), so JSON and MessagePack encoders get the same ones.
 *
 * @module
 */
import { randomBytes as bytesOf, rng } from "./random.ts";

/** A JSON-compatible value; a JSON object is the type of every message below. */
type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
type JsonObject = { [key: string]: JsonValue };

const NAMES = [
  ...["Alice Martin", "Bob Nakamura", "Chloé Dubois", "Dmitri Ivanov", "Eva Müller"],
  ...["Fatima Zahra", "Gustavo Peña", "张伟"],
];
const CITIES = ["Paris", "Berlin", "São Paulo", "Tokyo", "Zürich", "Kraków", "Montréal", "Oslo"];
const PRODUCTS = [
  ...["Espresso beans 1kg", "Café crème filters", "Grinder burr set", "Milk jug 350ml"],
  ...["Tamper — walnut", "Descaler tablets", "Cup set × 6", "Thermometer °C"],
];
const TYPES = ["order.created", "order.paid", "order.shipped", "order.cancelled"];
const LABELS = ["priority", "gift", "b2b", "retry", "eu", "fragile"] as const;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function orderEvent(rand: () => number, id: number) {
  let total = 0;
  const lines = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => {
    const quantity = 1 + Math.floor(rand() * 5);
    const unitPrice = round2(2 + rand() * 90);
    const discount = rand() < 0.5 ? null : round2(rand() * 0.3);
    total += quantity * unitPrice * (1 - (discount ?? 0));
    return {
      sku: `SKU-${(100000 + Math.floor(rand() * 900000)).toString(36).toUpperCase()}`,
      title: pick(rand, PRODUCTS),
      quantity,
      unitPrice,
      discount,
    };
  });
  const occurredAt = 1767225600000 + id * 61_000 + Math.floor(rand() * 1000);
  const name = pick(rand, NAMES);
  return {
    id,
    type: pick(rand, TYPES),
    orderId: `ord_${(id * 7919).toString(16).padStart(8, "0")}`,
    occurredAt,
    occurredAtIso: new Date(occurredAt).toISOString(),
    paid: rand() < 0.7,
    coupon: rand() < 0.3 ? `SAVE${Math.floor(rand() * 50)}` : null,
    customer: {
      id: 1000 + Math.floor(rand() * 90000),
      name,
      email: `customer${id}@example.com`,
      vip: rand() < 0.1,
      address: {
        street: `${1 + Math.floor(rand() * 200)} Rue de la Paix`,
        city: pick(rand, CITIES),
        zip: String(10000 + Math.floor(rand() * 89999)),
        country: pick(rand, ["FR", "DE", "BR", "JP", "CH", "PL"]),
      },
    },
    lines,
    total: round2(total),
    currency: pick(rand, ["EUR", "USD", "JPY", "CHF"]),
    labels: [pick(rand, LABELS), pick(rand, LABELS)],
    geo: { lat: round2(-90 + rand() * 180), lon: round2(-180 + rand() * 360) },
  };
}

function batch(seed: number, count: number): JsonObject {
  const rand = rng(seed);
  const events = Array.from({ length: count }, (_, i) => orderEvent(rand, seed * 1000 + i));
  return {
    batchId: `batch-${seed.toString(16).padStart(6, "0")}`,
    sequence: seed,
    more: true,
    events,
  };
}

/** About 200 bytes of JSON: the typical small command or event. */
export const smallMessage: JsonObject = {
  id: 123456,
  name: "order.created",
  flag: true,
  tags: ["alpha", "beta", "gamma"],
  position: { x: 12.5, y: -3 },
  timestamp: 1767225600123,
  createdAt: "2026-01-01T00:00:00.123Z",
  score: 0.875,
  parent: null,
  region: "Zürich",
};

/** The three messages by size name: about 200 B, 4 KiB (a batch of order events) and 64 KiB. */
export const fixtures: Record<"small" | "medium" | "large", unknown> = {
  small: smallMessage,
  medium: batch(7, 6),
  large: batch(11, 93),
};

/** How many messages the varied warm-up feeds every contender (issue 8 measured with 400). */
const VARIED_COUNT = 400;

/** The ten shapes {@linkcode variedMessages} cycles through, in order. */
const SHAPES: readonly ((rand: () => number, i: number) => JsonValue)[] = [
  (rand, i) => ({ ...smallMessage, id: i, score: rand() }),
  (rand, i) => orderEvent(rand, i),
  // Batches from 1 to 40 events: 700 B to 28 KiB; every 50th is large.
  (_, i) => batch(100 + i, i % 50 === 2 ? 60 : 1 + (i % 40)),
  (rand, i) => Array.from({ length: 1 + (i % 64) }, (_, k) => k * rand()),
  (rand, i) => ({ kind: "text", body: pick(rand, PRODUCTS).repeat(1 + (i % 30)), lang: "fr" }),
  (rand, i) => ({
    config: { retries: i % 5, backoff: { base: 10, max: 1000, jitter: rand() < 0.5 } },
    features: { a: true, b: false, c: null },
    hosts: [pick(rand, CITIES), pick(rand, CITIES)],
  }),
  (_, i) => [smallMessage, { ok: true }, "ping", i, null],
  (_, i) => ({ [`k${i % 7}`]: i, v: String(i), t: 1767225600000 + i }),
  (rand, i) => ({ type: pick(rand, TYPES), ids: Array.from({ length: i % 20 }, (_, k) => k + i) }),
  (rand, i) => ({ id: i, name: pick(rand, NAMES), tags: [pick(rand, LABELS)], score: i / 7 }),
];

/**
 * Messages of different shapes and sizes (commands, events, batches, arrays, text-heavy records,
 * deep configs), deterministic. Benches feed them to every contender before timing, so property
 * loads see realistic, varied type feedback instead of one message shape.
 */
export function variedMessages(count: number = VARIED_COUNT): JsonValue[] {
  const rand = rng(2024);
  return Array.from({ length: count }, (_, i) => SHAPES[i % SHAPES.length](rand, i));
}

/** Pseudo-random bytes, deterministic. */
export function randomBytes(size: number, seed: number = 0x9e3779b9): Uint8Array {
  return bytesOf(rng(seed), size);
}

/**
 * Byte arrays of varied lengths (mostly under 4 KiB, a few up to 256 KiB) and
 * offsets (some are subarrays), for the encoders' varied warm-up.
 */
export function variedByteArrays(count: number = VARIED_COUNT): Uint8Array[] {
  const rand = rng(77);
  const backing = randomBytes(1 << 18, 12345);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = i % 40 === 0
      ? Math.floor(rand() * (1 << 18))
      : i % 4 === 0
      ? Math.floor(rand() * 4096)
      : Math.floor(rand() * 300);
    const start = i % 3 === 0 ? Math.floor(rand() * 64) : 0;
    const view = backing.subarray(start, Math.min(backing.length, start + length));
    out.push(i % 5 === 0 ? view : view.slice());
  }
  return out;
}

/**
 * Strings of varied lengths (1 to 4 Ki chars) and content: ASCII, Latin-1,
 * CJK and emoji, for the UTF-8 warm-up.
 */
export function variedStrings(count: number = VARIED_COUNT): string[] {
  const rand = rng(99);
  const alphabets = [
    "abcdefghijklmnopqrstuvwxyz0123456789 ",
    "héllo wörld çà ß ÿ ",
    "张伟东京大阪",
    "👋🎉 ok ",
    'ASCII only, with punctuation: {}[]",.',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // Whole code points: no lone surrogates.
    const alphabet = Array.from(alphabets[i % 7 < 4 ? 0 : i % alphabets.length]);
    const length = i % 25 === 0 ? 1 + Math.floor(rand() * 4096) : 1 + Math.floor(rand() * 300);
    let text = "";
    while (text.length < length) text += alphabet[Math.floor(rand() * alphabet.length)];
    out.push(text);
  }
  return out;
}
