/**
 * Values whose encoding must not depend on whether the runtime has `Buffer`:
 * strings of every length class and code point class, as values and as keys.
 *
 * @module
 */
import { rng } from "./_random.ts";

const PIECES = ["a", "é", "ß", "漢", "😀", "\u0000", "\u2028", "\ud800", "\udfff", "~"];

/** Deterministic sample values (JSON-compatible, so both serializers take them). */
export function portableSamples(): unknown[] {
  const random = rng(4242);
  const text = (length: number): string => {
    let s = "";
    while (s.length < length) s += PIECES[Math.floor(random() * PIECES.length)];
    return s;
  };
  const samples: unknown[] = [];
  for (const length of [0, 1, 5, 15, 16, 31, 32, 33, 63, 64, 100, 255, 256, 1000, 5000, 70000]) {
    samples.push(text(length), "x".repeat(length));
    samples.push({ [text(Math.min(length, 40))]: text(length), list: [text(3), length] });
  }
  return samples;
}
