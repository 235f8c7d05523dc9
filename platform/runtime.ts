/**
 * The one runtime detector of `@catga/memory`: which runtime is running us and
 * what it can do, computed once at module load. Every other module reads these
 * facts from here instead of probing globals itself. Internal: not exported
 * from any entry point.
 *
 * @module
 */

/**
 * Which JavaScript runtime is running us. `"workerd"` is Cloudflare's
 * runtime, recognized before Node because under `nodejs_compat` it reports a
 * `process.versions.node`; `"other"` covers browsers and unknown hosts.
 */
export type RuntimeKind = "node" | "deno" | "bun" | "workerd" | "other";

const g = globalThis as Record<string, unknown>;
const nodeVersion = (g.process as { versions?: { node?: unknown } } | undefined)?.versions?.node;
const userAgent = (g.navigator as { userAgent?: unknown } | undefined)?.userAgent;

/** The runtime running this module. */
export const RUNTIME: RuntimeKind = userAgent === "Cloudflare-Workers"
  ? "workerd"
  : g.Bun !== undefined
  ? "bun"
  : g.Deno !== undefined
  ? "deno"
  : typeof nodeVersion === "string"
  ? "node"
  : "other";

/** Node's major version (24, 26, …) when {@link RUNTIME} is `"node"`, else 0. */
export const NODE_MAJOR: number = RUNTIME === "node"
  ? Number.parseInt(String(nodeVersion), 10) || 0
  : 0;

/** Word-at-a-time tricks assume little-endian typed arrays. */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Whether `FinalizationRegistry` exists (missing in workerd before the
 * 2025-05-05 compatibility date); debug leak reports need it.
 */
export const HAS_FINALIZATION_REGISTRY: boolean = typeof g.FinalizationRegistry === "function";

/** Whether `ArrayBuffer.prototype.transfer` exists; debug mode detaches returned buffers with it. */
export const HAS_TRANSFER: boolean =
  typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === "function";

/** The subset of Node's `Buffer.prototype` that the library calls on plain Uint8Arrays. */
export interface NodeBufferMethods {
  base64Slice(this: Uint8Array, start: number, end: number): string;
  base64urlSlice(this: Uint8Array, start: number, end: number): string;
  base64Write(this: Uint8Array, text: string, offset: number, length: number): number;
  latin1Write(this: Uint8Array, text: string, offset: number, length: number): number;
  hexSlice(this: Uint8Array, start: number, end: number): string;
  hexWrite(this: Uint8Array, text: string, offset: number, length: number): number;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
  utf8Write(this: Uint8Array, text: string, offset: number, length: number): number;
}

/** Node's static `Buffer` helpers the library uses. */
export interface NodeBufferStatics {
  byteLength(text: string, encoding: "utf8"): number;
  allocUnsafeSlow(size: number): Uint8Array;
  /** `Buffer.from(text)`: UTF-8 bytes, in Node's shared pool below `Buffer.poolSize / 2`. */
  from(text: string): Uint8Array;
}

const BUFFER_METHODS = [
  "base64Slice",
  "base64urlSlice",
  "base64Write",
  "latin1Write",
  "hexSlice",
  "hexWrite",
  "utf8Slice",
  "utf8Write",
] as const;

/** The named methods of the global `Buffer.prototype`, on `runtime` only and only if all exist. */
function bufferMethodsOn<K extends keyof NodeBufferMethods>(
  runtime: RuntimeKind,
  names: readonly K[],
): Pick<NodeBufferMethods, K> | undefined {
  if (RUNTIME !== runtime) return undefined;
  const proto = (g.Buffer as { prototype?: Record<string, unknown> } | undefined)?.prototype;
  if (proto === undefined) return undefined;
  const methods: Record<string, unknown> = {};
  for (const name of names) {
    if (typeof proto[name] !== "function") return undefined;
    methods[name] = proto[name];
  }
  return methods as unknown as Pick<NodeBufferMethods, K>;
}

/**
 * Node's `Buffer.prototype` methods, captured at load and only on Node
 * itself: Deno's, Bun's and workerd's `Buffer` are shims that measure slower
 * than those runtimes' own calls, so the library uses only the few of theirs
 * that win ({@linkcode BUN_BUFFER}, {@linkcode DENO_BUFFER}).
 */
export const NODE_BUFFER: NodeBufferMethods | undefined = bufferMethodsOn("node", BUFFER_METHODS);

/** Node's `Buffer.byteLength`, `allocUnsafeSlow` and `from`, captured at load; Node only. */
export const NODE_BUFFER_STATICS: NodeBufferStatics | undefined = (() => {
  if (NODE_BUFFER === undefined) return undefined;
  const buffer = g.Buffer as Partial<NodeBufferStatics>;
  const { byteLength, allocUnsafeSlow, from } = buffer;
  if (
    typeof byteLength !== "function" || typeof allocUnsafeSlow !== "function" ||
    typeof from !== "function"
  ) return undefined;
  return {
    byteLength: byteLength.bind(buffer) as NodeBufferStatics["byteLength"],
    allocUnsafeSlow: allocUnsafeSlow.bind(buffer) as NodeBufferStatics["allocUnsafeSlow"],
    from: from.bind(buffer) as NodeBufferStatics["from"],
  };
})();

/** The two methods of Bun's `Buffer.prototype` that beat the runtime's own calls. */
export type BunBufferMethods = Pick<NodeBufferMethods, "hexSlice" | "latin1Write">;

/**
 * Bun's `Buffer.prototype.hexSlice` and `latin1Write`, captured at load and
 * only on Bun (both must exist). Probes of 2026-12-06, Bun 1.4.5:
 * - `hexSlice` (CPU time, a JSC full collection before each round): `toHex`
 *   time / `hexSlice` time 0.95-0.97 at 1 KiB, 1.1 at 4 KiB, 1.3-1.4 at
 *   16-64 KiB, 1.1-1.2 at 256 KiB-1 MiB. In bench/seam_direct.bench.ts,
 *   before/after at 64 KiB: 0.92 -> 1.03x, 0.89 -> 0.98x, 0.93 -> 0.93x of the
 *   best direct call; that day's full runs read 0.83x, 0.88x and 0.96x there
 *   on this route, and 1.01x with only the hex part's warm-up: the misses came
 *   from the heap the other subjects' warm-up leaves, not the route.
 * - `latin1Write` of `toBase64`'s string (the into-memory base64 encoders):
 *   1.12-1.17x the speed of `TextEncoder.encodeInto` at 64 B, 0.92-1.10x at
 *   1 KiB, 0.95-1.04x at 64 KiB (wall time, varied warm-up). Unlike Node's, it
 *   throws past the end of its target, so it is only called with room for all.
 *
 * `undefined` elsewhere.
 */
export const BUN_BUFFER: BunBufferMethods | undefined = bufferMethodsOn("bun", [
  "hexSlice",
  "latin1Write",
]);

/** The two methods of Deno's `Buffer.prototype` that beat the built-ins for large inputs. */
export type DenoBufferMethods = Pick<NodeBufferMethods, "base64Slice" | "hexSlice">;

/**
 * Deno's `Buffer.prototype.base64Slice` and `hexSlice` (its Node compatibility
 * layer, a global in Deno 2), captured at load and only on Deno (both must
 * exist). They return strings that cost V8's heap little, where `toBase64`
 * and `toHex` make large heap strings, dear beside a live heap: a probe of
 * 2026-12-06 (Deno 2.9.6, 300,000 live objects, CPU time, a full GC per
 * round), built-in time / slice time: base64 0.54 at 64 KiB, 3.7 at 256 KiB,
 * 28 at 512 KiB, 32 at 1 MiB; hex 3.3 at 64 KiB, 4.2 at 256 KiB, 23-30 from
 * 512 KiB. seam_direct read the built-ins at 0.58x (base64) and 0.69x (hex)
 * of `Buffer#toString` at 1 MiB. `undefined` elsewhere.
 */
export const DENO_BUFFER: DenoBufferMethods | undefined = bufferMethodsOn("deno", [
  "base64Slice",
  "hexSlice",
]);

/**
 * Node's `markAsUntransferable` (from `node:worker_threads`), when the host
 * exposes it without an import: slab chunks are marked with it so that
 * transferring one result cannot detach its neighbours. `undefined` elsewhere.
 */
export const MARK_AS_UNTRANSFERABLE: ((value: object) => void) | undefined = (() => {
  if (RUNTIME !== "node") return undefined;
  const getBuiltin = (g.process as { getBuiltinModule?: (id: string) => unknown } | undefined)
    ?.getBuiltinModule;
  if (typeof getBuiltin !== "function") return undefined;
  const workers = getBuiltin("node:worker_threads") as
    | { markAsUntransferable?: (value: object) => void }
    | undefined;
  return typeof workers?.markAsUntransferable === "function"
    ? workers.markAsUntransferable
    : undefined;
})();

const denoUnrefTimer = (g.Deno as { unrefTimer?: (id: number) => void } | undefined)?.unrefTimer;

/**
 * Starts a one-shot timer that never keeps the process alive: the handle's
 * `unref()` on Node and Bun, `Deno.unrefTimer` on Deno. Browsers and workerd
 * have no process exit to delay. Returns `false` when the host refuses a
 * timer at this point (workerd outside a request), so the caller can fall
 * back to work driven by its own activity.
 *
 * @param callback Runs once after `ms` milliseconds.
 * @param ms The delay.
 * @returns Whether the timer was started.
 */
export function setUnrefTimeout(callback: () => void, ms: number): boolean {
  let handle: unknown;
  try {
    handle = setTimeout(callback, ms);
  } catch {
    return false;
  }
  if (typeof handle === "object" && handle !== null) {
    (handle as { unref?: () => void }).unref?.();
  } else if (typeof handle === "number" && denoUnrefTimer !== undefined) {
    denoUnrefTimer(handle);
  }
  return true;
}
