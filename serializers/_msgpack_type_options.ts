/**
 * Validates and resolves the type and encoding options of a
 * {@linkcode MsgPackSerializer} (`extensions`, `context`, `moreTypes`,
 * `ignoreUndefined`, `useToJSON`, `sortKeys`, the float modes and
 * `largeBigInt`) into the settings the encoder and the decoder read.
 * Internal to the serializers.
 *
 * @module
 */
import type { MsgPackExtension } from "./msgpack_extension.ts";
import type { MsgPackSerializerOptions } from "./msgpack_options.ts";
import {
  FLOAT32_ALWAYS,
  FLOAT32_DECIMAL_FIT,
  FLOAT32_DECIMAL_ROUND,
  FLOAT32_EXACT,
  FLOAT32_NEVER,
} from "./_msgpack_float32.ts";

/** `largeBigInt: "error"`. */
export const LARGE_BIGINT_ERROR = 0;
/** `largeBigInt: "string"`. */
export const LARGE_BIGINT_STRING = 1;
/** `largeBigInt: "float"`. */
export const LARGE_BIGINT_FLOAT = 2;
/** `moreTypes` without `largeBigInt`: msgpackr's bigint ext (0x42). */
export const LARGE_BIGINT_EXT = 3;

/** The resolved type and encoding options. */
export interface TypeSettings {
  readonly moreTypes: boolean;
  readonly ignoreUndefined: boolean;
  readonly useToJSON: boolean;
  readonly sortKeys: boolean;
  /** One of the FLOAT32_* modes. */
  readonly float32: number;
  readonly forceIntegerToFloat: boolean;
  /** One of the LARGE_BIGINT_* modes. */
  readonly largeBigInt: number;
  /** In the order @msgpack/msgpack asks them: -1, -2, …, then 0, 1, …. */
  readonly extensions: readonly MsgPackExtension[];
  readonly context: unknown;
}

const FLOAT32_MODES: Record<string, number> = {
  always: FLOAT32_ALWAYS,
  decimalRound: FLOAT32_DECIMAL_ROUND,
  decimalFit: FLOAT32_DECIMAL_FIT,
};
const LARGE_BIGINT_MODES: Record<string, number> = {
  error: LARGE_BIGINT_ERROR,
  string: LARGE_BIGINT_STRING,
  float: LARGE_BIGINT_FLOAT,
};

function fail(message: string): TypeError {
  return new TypeError(`Cannot create MsgPackSerializer: ${message}`);
}

function flag(options: MsgPackSerializerOptions, name: keyof MsgPackSerializerOptions): boolean {
  const value = options[name];
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw fail(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

function mode(table: Record<string, number>, name: string, value: unknown): number {
  if (typeof value === "string" && Object.hasOwn(table, value)) return table[value];
  throw fail(
    `${name} must be ${Object.keys(table).map((key) => `"${key}"`).join(", ")} or undefined, got ${
      typeof value === "string" ? `"${value}"` : String(value)
    }`,
  );
}

/**
 * Validates the options and resolves them.
 *
 * @throws {TypeError} For an unknown mode, a non-boolean flag, `preferFloat32` with `useFloat32`, or a malformed or duplicate extension.
 * @throws {RangeError} For an extension type that is not an integer from -128 to 127.
 */
export function resolveTypeOptions(options: MsgPackSerializerOptions): TypeSettings {
  const moreTypes = flag(options, "moreTypes");
  const preferFloat32 = flag(options, "preferFloat32");
  let float32 = preferFloat32 ? FLOAT32_EXACT : FLOAT32_NEVER;
  if (options.useFloat32 !== undefined) {
    if (preferFloat32) throw fail("preferFloat32 and useFloat32 cannot be used together");
    float32 = mode(FLOAT32_MODES, "useFloat32", options.useFloat32);
  }
  const largeBigInt = options.largeBigInt === undefined
    ? (moreTypes ? LARGE_BIGINT_EXT : LARGE_BIGINT_ERROR)
    : mode(LARGE_BIGINT_MODES, "largeBigInt", options.largeBigInt);
  return {
    moreTypes,
    ignoreUndefined: flag(options, "ignoreUndefined"),
    useToJSON: flag(options, "useToJSON"),
    sortKeys: flag(options, "sortKeys"),
    float32,
    forceIntegerToFloat: flag(options, "forceIntegerToFloat"),
    largeBigInt,
    extensions: resolveExtensions(options.extensions),
    context: options.context,
  };
}

function resolveExtensions(
  extensions: readonly MsgPackExtension[] | undefined,
): readonly MsgPackExtension[] {
  if (extensions === undefined) return [];
  if (!Array.isArray(extensions)) throw fail("extensions must be an array");
  const seen = new Set<number>();
  for (const [i, extension] of extensions.entries()) {
    if (typeof extension !== "object" || extension === null) {
      throw fail(`extensions[${i}] must be an object with type, encode and decode`);
    }
    const type = extension.type;
    if (!Number.isInteger(type) || type < -128 || type > 127) {
      throw new RangeError(
        `Cannot create MsgPackSerializer: extensions[${i}].type ${
          String(type)
        } is not an integer from -128 to 127`,
      );
    }
    if (typeof extension.encode !== "function" || typeof extension.decode !== "function") {
      throw fail(`extensions[${i}] (type ${type}) must have encode and decode functions`);
    }
    if (seen.has(type)) throw fail(`extensions[${i}]: type ${type} is registered twice`);
    seen.add(type);
  }
  // @msgpack/msgpack's ExtensionCodec asks -1, -2, … first, then 0, 1, …: the same order gives the same bytes.
  return [...extensions].sort((a, b) =>
    (a.type < 0) !== (b.type < 0)
      ? (a.type < 0 ? -1 : 1)
      : a.type < 0
      ? b.type - a.type
      : a.type - b.type
  );
}
