/**
 * The MessagePack decoder's ext dispatch beyond the timestamp: a
 * serializer's own extensions, then the `moreTypes` types. Internal to the
 * serializers; the decoder calls {@linkcode ExtDispatch.read} only when a
 * serializer has extensions or `moreTypes`.
 *
 * @module
 */
import type { MsgPackExtension } from "./msgpack_extension.ts";
import {
  AGGREGATE_ERROR,
  ERROR_CONSTRUCTORS,
  MORE_TYPES_BIGINT,
  MORE_TYPES_ERROR,
  MORE_TYPES_REGEXP,
  MORE_TYPES_SET,
  MORE_TYPES_TYPED_ARRAY,
  MORE_TYPES_UNDEFINED,
  TYPED_ARRAY_CODE_ARRAY_BUFFER,
  TYPED_ARRAY_CODE_DATA_VIEW,
  TYPED_ARRAY_CONSTRUCTORS,
} from "./_msgpack_more_types.ts";

/** A copying slice even for a Node `Buffer` input, whose own `slice` is a view. */
const copySlice = Uint8Array.prototype.slice;

/**
 * What the dispatch reads from the decoder (the `MsgPackDecoder` in
 * _msgpack_decoder.ts, which imports this module): its input and position,
 * and the next value. Declared here so the two modules import each other in
 * one direction only.
 */
export interface ExtSource {
  /** The input. */
  readonly src: Uint8Array;
  /** The offset of the next unread byte. */
  readonly pos: number;
  /** The end of the input. */
  readonly end: number;
  /** Reads the value at `pos` and moves past it. */
  readValue(): unknown;
}

/** Returned by {@linkcode ExtDispatch.read} for an ext type it leaves to the decoder. */
export const UNCLAIMED: unique symbol = Symbol("unclaimed");

/** Reads the ext types of a serializer's extensions and of `moreTypes`. */
export class ExtDispatch {
  /** By type + 128. */
  readonly #byType: (MsgPackExtension | undefined)[] = new Array(256);
  readonly #context: unknown;
  readonly #moreTypes: boolean;

  constructor(extensions: readonly MsgPackExtension[], context: unknown, moreTypes: boolean) {
    for (const extension of extensions) this.#byType[extension.type + 128] = extension;
    this.#context = context;
    this.#moreTypes = moreTypes;
  }

  /**
   * The ext types read as a tag followed by one more value (`moreTypes`' Set,
   * Error and RegExp, unless an extension takes the type), indexed by the type
   * byte: a stream scanner counts that value as part of the ext's. Null when
   * there are none.
   */
  tagTypes(): Uint8Array | null {
    if (!this.#moreTypes) return null;
    const tags = new Uint8Array(256);
    for (const type of [MORE_TYPES_SET, MORE_TYPES_ERROR, MORE_TYPES_REGEXP]) {
      if (this.#byType[type + 128] === undefined) tags[type & 0xff] = 1;
    }
    return tags;
  }

  /**
   * The value of the ext at `start` (`length` payload bytes, already
   * consumed: `decoder.pos` is past it), or {@linkcode UNCLAIMED}.
   */
  read(decoder: ExtSource, type: number, start: number, length: number): unknown {
    const extension = this.#byType[type + 128];
    if (extension !== undefined) {
      return extension.decode(
        copySlice.call(decoder.src, start, start + length),
        type,
        this.#context,
      );
    }
    if (!this.#moreTypes) return UNCLAIMED;
    switch (type) {
      case MORE_TYPES_UNDEFINED:
        return undefined;
      case MORE_TYPES_SET:
        return new Set(this.#nextArray(decoder, "Set", start));
      case MORE_TYPES_ERROR:
        return readError(this.#nextArray(decoder, "Error", start), start);
      case MORE_TYPES_REGEXP:
        return readRegExp(this.#nextArray(decoder, "RegExp", start), start);
      case MORE_TYPES_TYPED_ARRAY:
        return readTypedArray(decoder.src, start, length);
      case MORE_TYPES_BIGINT:
        return readBigInt(decoder.src, start, length);
      default:
        return UNCLAIMED;
    }
  }

  /** The array a tag ext (Set, Error, RegExp) is followed by; anything else is malformed. */
  #nextArray(decoder: ExtSource, what: string, start: number): unknown[] {
    const at = decoder.pos;
    const token = at < decoder.end ? decoder.src[at] : -1;
    // An array header: each nested tag then costs a depth level, so a chain of tags can't recurse unbounded.
    if ((token & 0xf0) !== 0x90 && token !== 0xdc && token !== 0xdd) {
      if (token === -1) {
        throw new RangeError(
          `Cannot decode MessagePack: unexpected end of input at offset ${at} (the ${what} ext with its type byte at offset ${
            start - 1
          } needs an array after it)`,
        );
      }
      throw malformed(
        `${what} ext with its type byte at offset ${start - 1} is not followed by an array`,
      );
    }
    return decoder.readValue() as unknown[];
  }
}

function malformed(what: string): SyntaxError {
  return new SyntaxError(`Cannot decode MessagePack: the ${what}`);
}

function readError(data: unknown[], start: number): Error {
  const [name, message, cause] = data;
  if (typeof name !== "string" || typeof message !== "string") {
    throw malformed(
      `Error ext with its type byte at offset ${
        start - 1
      } does not hold a name and a message string`,
    );
  }
  const options = cause === undefined ? undefined : { cause };
  if (name === "AggregateError" && AGGREGATE_ERROR !== undefined) {
    return new AGGREGATE_ERROR(Array.isArray(data[3]) ? data[3] : [], message, options);
  }
  const constructor = Object.hasOwn(ERROR_CONSTRUCTORS, name) ? ERROR_CONSTRUCTORS[name] : Error;
  const error = new constructor(message, options);
  if (error.name !== name) error.name = name;
  return error;
}

function readRegExp(data: unknown[], start: number): RegExp {
  const [source, flags] = data;
  if (typeof source !== "string" || typeof flags !== "string") {
    throw malformed(
      `RegExp ext with its type byte at offset ${
        start - 1
      } does not hold a source and flags string`,
    );
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw malformed(
      `RegExp ext with its type byte at offset ${start - 1} is not a valid regular expression (${
        (error as Error).message
      })`,
    );
  }
}

function readTypedArray(src: Uint8Array, start: number, length: number): unknown {
  if (length === 0) {
    throw malformed(
      `typed-array ext with its type byte at offset ${start - 1} has no element code`,
    );
  }
  const code = src[start];
  // A copy, so the result owns an aligned buffer of its own.
  const buffer = copySlice.call(src, start + 1, start + length).buffer;
  if (code === TYPED_ARRAY_CODE_ARRAY_BUFFER) return buffer;
  if (code === TYPED_ARRAY_CODE_DATA_VIEW) return new DataView(buffer);
  const constructor = TYPED_ARRAY_CONSTRUCTORS[code];
  if (constructor === undefined) {
    throw malformed(
      `typed-array ext with its type byte at offset ${
        start - 1
      } has the unknown element code ${code}`,
    );
  }
  const size = (constructor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (buffer.byteLength % size !== 0) {
    throw malformed(
      `typed-array ext with its type byte at offset ${
        start - 1
      } holds ${buffer.byteLength} bytes, not a whole number of ${size}-byte elements`,
    );
  }
  return new constructor(buffer);
}

function readBigInt(src: Uint8Array, start: number, length: number): bigint {
  if (length === 0) {
    throw malformed(`bigint ext with its type byte at offset ${start - 1} is empty`);
  }
  let hex = "0x";
  for (let i = start; i < start + length; i++) {
    hex += (src[i] < 16 ? "0" : "") + src[i].toString(16);
  }
  const value = BigInt(hex);
  // Two's complement: a set top bit is negative.
  return src[start] >= 0x80 ? value - (1n << BigInt(length * 8)) : value;
}
