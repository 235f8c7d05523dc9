/**
 * The types behind `moreTypes` (msgpackr's ext codes, so the bytes are
 * msgpackr's), and the built-in objects whose state lives in internal slots,
 * which the encoder refuses rather than writing as `{}`. Internal to the
 * serializers.
 *
 * @module
 */

/** msgpackr: ext 0 is `undefined`. */
export const MORE_TYPES_UNDEFINED = 0;
/** msgpackr: 'B', a bigint beyond 64 bits (big-endian two's complement). */
export const MORE_TYPES_BIGINT = 0x42;
/** msgpackr: 'e', an Error; the next value is `[name, message, cause, errors?]`. */
export const MORE_TYPES_ERROR = 0x65;
/** msgpackr: 's', a Set; the next value is the array of its entries. */
export const MORE_TYPES_SET = 0x73;
/** msgpackr: 't', a typed array; the payload is the element code, then the bytes. */
export const MORE_TYPES_TYPED_ARRAY = 0x74;
/** msgpackr: 'x', a RegExp; the next value is `[source, flags]`. */
export const MORE_TYPES_REGEXP = 0x78;

/** msgpackr's element codes (its `typedArrays` list), by `Symbol.toStringTag`. */
export const TYPED_ARRAY_CODES: Readonly<Record<string, number>> = {
  Int8Array: 0,
  Uint8Array: 1,
  Uint8ClampedArray: 2,
  Int16Array: 3,
  Uint16Array: 4,
  Int32Array: 5,
  Uint32Array: 6,
  Float32Array: 7,
  Float64Array: 8,
  BigInt64Array: 9,
  BigUint64Array: 10,
};
/** msgpackr's code for an ArrayBuffer in the typed-array ext. */
export const TYPED_ARRAY_CODE_ARRAY_BUFFER = 0x10;
/** msgpackr's code for a DataView in the typed-array ext. */
export const TYPED_ARRAY_CODE_DATA_VIEW = 0x11;

/** The constructors of {@linkcode TYPED_ARRAY_CODES}, by code. */
export const TYPED_ARRAY_CONSTRUCTORS: readonly (new (buffer: ArrayBuffer) => ArrayBufferView)[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** `AggregateError`, where the runtime has it. */
export const AGGREGATE_ERROR: typeof AggregateError | undefined =
  typeof AggregateError === "function" ? AggregateError : undefined;

/** The Error constructors a decoded error's name picks (others give an `Error` with that name). */
export const ERROR_CONSTRUCTORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

/** The `Object.prototype.toString` tags that `moreTypes` writes. */
export const MORE_TYPES_TAGS: ReadonlySet<string> = new Set([
  "[object Set]",
  "[object Error]",
  "[object RegExp]",
]);

/**
 * Tags of built-in objects whose state is not in their own enumerable
 * properties: written as maps they would silently become `{}`. A `Map`,
 * `Date` or `ArrayBuffer` tag reaches this list only for an object of another
 * realm (ours are handled before).
 */
const REFUSED_TAGS: ReadonlySet<string> = new Set([
  ...MORE_TYPES_TAGS,
  "[object WeakMap]",
  "[object WeakSet]",
  "[object WeakRef]",
  "[object FinalizationRegistry]",
  "[object Promise]",
  "[object Number]",
  "[object String]",
  "[object Boolean]",
  "[object BigInt]",
  "[object Symbol]",
  "[object Map]",
  "[object Date]",
  "[object ArrayBuffer]",
  "[object Generator]",
  "[object AsyncGenerator]",
  "[object Map Iterator]",
  "[object Set Iterator]",
  "[object Array Iterator]",
  "[object String Iterator]",
  "[object RegExp String Iterator]",
  "[object Iterator Helper]",
  "[object Module]",
  "[object URL]",
  "[object URLSearchParams]",
  "[object Blob]",
  "[object File]",
  "[object FormData]",
  "[object Headers]",
  "[object Request]",
  "[object Response]",
  "[object ReadableStream]",
  "[object WritableStream]",
  "[object TransformStream]",
  "[object AbortController]",
  "[object AbortSignal]",
]);

const BOXED = new Set(["Number", "String", "Boolean", "BigInt", "Symbol"]);

/** Whether an object with this tag keeps its state outside its own enumerable properties. */
export function isRefusedTag(tag: string): boolean {
  return REFUSED_TAGS.has(tag) || tag.startsWith("[object Temporal.") ||
    tag.startsWith("[object Intl.");
}

/** How an error message names an object with this tag: "Set", "boxed Number". */
export function describeTag(tag: string): string {
  const name = tag.slice(8, -1);
  return BOXED.has(name) ? `boxed ${name}` : name;
}
