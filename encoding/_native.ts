/**
 * Option objects passed to the runtime's base64 built-ins, one per flag
 * combination, so no call allocates one.
 *
 * @module
 */

/**
 * Encode option objects for each flag combination (bit 0 url, bit 1 omit);
 * the default is undefined, which skips the engine's option lookups.
 */
export const ENCODE_OPTIONS: ReadonlyArray<
  { alphabet: string; omitPadding: boolean } | undefined
> = [
  undefined,
  { alphabet: "base64url", omitPadding: false },
  { alphabet: "base64", omitPadding: true },
  { alphabet: "base64url", omitPadding: true },
];

/** Decode option objects per flag combination (bit 0 url, bits 1-2 mode). */
export const DECODE_OPTIONS: ReadonlyArray<
  { alphabet: string; lastChunkHandling: string } | undefined
> = [
  undefined,
  { alphabet: "base64url", lastChunkHandling: "loose" },
  { alphabet: "base64", lastChunkHandling: "strict" },
  { alphabet: "base64url", lastChunkHandling: "strict" },
  { alphabet: "base64", lastChunkHandling: "stop-before-partial" },
  { alphabet: "base64url", lastChunkHandling: "stop-before-partial" },
];
