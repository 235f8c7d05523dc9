/**
 * Runtime facts the encoders dispatch on, computed once at load.
 *
 * @module
 */

/** Which JavaScript runtime is running us; paths and thresholds differ. */
export type RuntimeKind = "node" | "deno" | "bun" | "other";

const g = globalThis as Record<string, unknown>;

/** The runtime running this module. */
export const RUNTIME: RuntimeKind = g.Bun !== undefined
  ? "bun"
  : g.Deno !== undefined
  ? "deno"
  : typeof (g.process as { versions?: { node?: string } } | undefined)
      ?.versions?.node === "string"
  ? "node"
  : "other";

/** Word-at-a-time tricks assume little-endian typed arrays. */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The subset of Node's Buffer prototype we call directly on Uint8Arrays. */
export interface NodeBufferMethods {
  base64Slice(this: Uint8Array, start: number, end: number): string;
  base64urlSlice(this: Uint8Array, start: number, end: number): string;
  base64Write(
    this: Uint8Array,
    text: string,
    offset: number,
    length: number,
  ): number;
  latin1Write(
    this: Uint8Array,
    text: string,
    offset: number,
    length: number,
  ): number;
}

/**
 * Node's Buffer methods, only on Node itself: Deno's and Bun's Buffer shims
 * are either slower than their native calls or not needed.
 */
export const NODE_BUFFER: NodeBufferMethods | undefined = (() => {
  if (RUNTIME !== "node") return undefined;
  const buffer = g.Buffer as { prototype?: Partial<NodeBufferMethods> } | undefined;
  const proto = buffer?.prototype;
  if (
    proto && typeof proto.base64Slice === "function" &&
    typeof proto.base64urlSlice === "function" &&
    typeof proto.base64Write === "function" &&
    typeof proto.latin1Write === "function"
  ) return proto as NodeBufferMethods;
  return undefined;
})();

/**
 * Matches any char above 0xff. On a one-byte (Latin-1) string V8 answers
 * without scanning, so this proves cheaply that `latin1Write` (which keeps
 * only the low byte of each char) copies a string exactly.
 */
export const NON_LATIN1: RegExp = /[\u0100-\uffff]/;
