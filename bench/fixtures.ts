/**
 * Deterministic benchmark messages shared by every serializer benchmark.
 *
 * Values are JSON-compatible (no `Date`, no `undefined`, no bigint) so the
 * same message can be fed to JSON and MessagePack encoders alike.
 *
 * @module
 */

// The same seeded mulberry32 as the tests, so fixtures never change.
import { rng } from "../tests/_random.ts";

/** A JSON-compatible value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** The small message: a 10-field object of about 200 bytes of JSON. */
export interface SmallMessage {
  /** Message id. */
  id: number;
  /** Event name. */
  name: string;
  /** A boolean flag. */
  flag: boolean;
  /** Three short tags. */
  tags: string[];
  /** A nested object with two numbers. */
  position: { x: number; y: number };
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** A float. */
  score: number;
  /** Always null. */
  parent: null;
  /** A short non-ASCII string. */
  region: string;
}

/** One line of an order. */
export interface OrderLine {
  /** Stock keeping unit. */
  sku: string;
  /** Product title, sometimes non-ASCII. */
  title: string;
  /** Quantity. */
  quantity: number;
  /** Unit price. */
  unitPrice: number;
  /** Discount rate or null. */
  discount: number | null;
}

/** An order event record, about 1 KiB of JSON. */
export interface OrderEvent {
  /** Event id. */
  id: number;
  /** Event kind. */
  type: string;
  /** Order reference. */
  orderId: string;
  /** Milliseconds since the epoch. */
  occurredAt: number;
  /** ISO-8601 time. */
  occurredAtIso: string;
  /** Whether the order is paid. */
  paid: boolean;
  /** Optional coupon code. */
  coupon: string | null;
  /** The customer. */
  customer: {
    id: number;
    name: string;
    email: string;
    vip: boolean;
    address: { street: string; city: string; zip: string; country: string };
  };
  /** Order lines. */
  lines: OrderLine[];
  /** Total amount. */
  total: number;
  /** Currency code. */
  currency: string;
  /** Free-form labels. */
  labels: string[];
  /** Geo position. */
  geo: { lat: number; lon: number };
}

/** The medium message: about 4 KiB of JSON. */
export interface MediumMessage {
  /** Batch id. */
  batchId: string;
  /** Batch sequence number. */
  sequence: number;
  /** Whether more batches follow. */
  more: boolean;
  /** Events of the batch. */
  events: OrderEvent[];
}

/** The large message: about 64 KiB of JSON. */
export interface LargeMessage {
  /** Batch id. */
  batchId: string;
  /** Batch sequence number. */
  sequence: number;
  /** Whether more batches follow. */
  more: boolean;
  /** Events of the batch. */
  events: OrderEvent[];
}

const NAMES = [
  "Alice Martin",
  "Bob Nakamura",
  "Chloé Dubois",
  "Dmitri Ivanov",
  "Eva Müller",
  "Fatima Zahra",
  "Gustavo Peña",
  "张伟",
] as const;
const CITIES = [
  "Paris",
  "Berlin",
  "São Paulo",
  "Tokyo",
  "Zürich",
  "Kraków",
  "Montréal",
  "Oslo",
] as const;
const PRODUCTS = [
  "Espresso beans 1kg",
  "Café crème filters",
  "Grinder burr set",
  "Milk jug 350ml",
  "Tamper — walnut",
  "Descaler tablets",
  "Cup set × 6",
  "Thermometer °C",
] as const;
const TYPES = [
  "order.created",
  "order.paid",
  "order.shipped",
  "order.cancelled",
] as const;
const LABELS = ["priority", "gift", "b2b", "retry", "eu", "fragile"] as const;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function orderEvent(rand: () => number, id: number): OrderEvent {
  const lineCount = 2 + Math.floor(rand() * 3);
  const lines: OrderLine[] = [];
  let total = 0;
  for (let i = 0; i < lineCount; i++) {
    const quantity = 1 + Math.floor(rand() * 5);
    const unitPrice = round2(2 + rand() * 90);
    const discount = rand() < 0.5 ? null : round2(rand() * 0.3);
    total += quantity * unitPrice * (1 - (discount ?? 0));
    lines.push({
      sku: `SKU-${(100000 + Math.floor(rand() * 900000)).toString(36).toUpperCase()}`,
      title: pick(rand, PRODUCTS),
      quantity,
      unitPrice,
      discount,
    });
  }
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

function batch(seed: number, count: number): MediumMessage {
  const rand = rng(seed);
  const events: OrderEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push(orderEvent(rand, seed * 1000 + i));
  }
  return {
    batchId: `batch-${seed.toString(16).padStart(6, "0")}`,
    sequence: seed,
    more: true,
    events,
  };
}

/** About 200 bytes of JSON: the typical small command or event. */
export const smallMessage: SmallMessage = {
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

/** About 4 KiB of JSON: a batch of order events. */
export const mediumMessage: MediumMessage = batch(7, 6);

/** About 64 KiB of JSON: a larger batch of order events. */
export const largeMessage: LargeMessage = batch(11, 93);

/** The three messages by size name. */
export const fixtures: Record<"small" | "medium" | "large", unknown> = {
  small: smallMessage,
  medium: mediumMessage,
  large: largeMessage,
};
