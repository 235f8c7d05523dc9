/**
 * The one normalizer of decoder input: any `BufferSource` (an `ArrayBuffer`,
 * a `SharedArrayBuffer`, a typed array or a `DataView`) becomes a
 * `Uint8Array` over exactly the bytes it views, without copying. Internal to
 * the serializers.
 *
 * @module
 */

/** What the decoders accept: a buffer, or any view of one. */
export type BytesInput = ArrayBufferLike | ArrayBufferView;

// Brand checks that also hold across realms (an `instanceof` would not).
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!
  .get!;
const sharedArrayBufferByteLength = typeof SharedArrayBuffer === "function"
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength")!.get!
  : undefined;

/**
 * The bytes `source` views, as a `Uint8Array` (the same object when it is a
 * non-empty `Uint8Array`, so the common case costs one check).
 *
 * @param source The decoder input.
 * @param what What the caller does, for the messages: "decode MessagePack".
 * @returns A view of the same memory.
 * @throws {TypeError} When `source` is not a `BufferSource`, or its buffer is detached.
 */
export function bytesOf(source: BytesInput, what: string): Uint8Array {
  if (source instanceof Uint8Array && source.length !== 0) return source;
  return otherBytes(source, what);
}

/** The slow path of {@linkcode bytesOf}: other views, buffers, empty and detached input. */
function otherBytes(source: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(source)) {
    if (isDetached(source.buffer)) throw detachedError(what);
    return source instanceof Uint8Array
      ? source
      : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  if (isArrayBuffer(source) || isSharedArrayBuffer(source)) {
    if (isDetached(source)) throw detachedError(what);
    return new Uint8Array(source);
  }
  throw new TypeError(
    `Cannot ${what}: expected an ArrayBuffer, a SharedArrayBuffer, a typed array or a DataView, got ${
      describe(source)
    }`,
  );
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  if (value instanceof ArrayBuffer) return true;
  if (typeof value !== "object" || value === null) return false;
  try {
    arrayBufferByteLength.call(value);
    return true;
  } catch {
    return false;
  }
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  if (sharedArrayBufferByteLength === undefined) return false;
  if (typeof value !== "object" || value === null) return false;
  try {
    sharedArrayBufferByteLength.call(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether an `ArrayBuffer` was detached (transferred). Every supported runtime
 * has `ArrayBuffer.prototype.detached`; a `SharedArrayBuffer` never detaches.
 */
function isDetached(buffer: ArrayBufferLike): boolean {
  return (buffer as { detached?: boolean }).detached === true;
}

function detachedError(what: string): TypeError {
  return new TypeError(`Cannot ${what}: the input's ArrayBuffer is detached`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "object";
}
