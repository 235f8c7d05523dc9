/**
 * Error-path diagnostics for the MessagePack encoder: finds where in a value
 * tree an unencodable value or a cycle sits, as a path like `$.a[2].b`.
 * Cold code, run only after an encode has failed, so the hot path tracks no
 * path at all. Internal to the serializers.
 *
 * @module
 */
import { MsgPackExt } from "./msgpack_ext.ts";

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Visits children in the encoder's order; cold paths only (error messages). */
function children(value: unknown): [string, unknown][] {
  if (typeof value !== "object" || value === null) return [];
  if (Array.isArray(value)) return value.map((item, i) => [`[${i}]`, item]);
  if (
    value instanceof Uint8Array || value instanceof Date || value instanceof MsgPackExt ||
    ArrayBuffer.isView(value) || value instanceof ArrayBuffer
  ) return [];
  if (value instanceof Map) {
    const out: [string, unknown][] = [];
    for (const [key, entry] of value) {
      out.push([`<key ${describeKey(key)}>`, key], [`.get(${describeKey(key)})`, entry]);
    }
    return out;
  }
  const out: [string, unknown][] = [];
  for (const key in value) {
    if (hasOwnProperty.call(value, key)) {
      const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      out.push([step, (value as Record<string, unknown>)[key]]);
    }
  }
  return out;
}

function describeKey(key: unknown): string {
  return typeof key === "string" ? JSON.stringify(key) : String(key);
}

/** The path (like `$.a[2].b`) of the first value matching `test`, in encode order. */
export function findPath(
  root: unknown,
  test: (value: unknown) => boolean,
  maxDepth: number,
): string | undefined {
  const visit = (value: unknown, path: string, depth: number): string | undefined => {
    if (test(value)) return path;
    if (depth > maxDepth) return undefined;
    for (const [step, child] of children(value)) {
      const found = visit(child, path + step, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(root, "$", 0);
}

/** The path of the first container that contains itself, in encode order. */
export function findCyclePath(root: unknown, maxDepth: number): string | undefined {
  const ancestors = new Set<unknown>();
  const visit = (value: unknown, path: string, depth: number): string | undefined => {
    if (typeof value !== "object" || value === null) return undefined;
    if (ancestors.has(value)) return path;
    if (depth > maxDepth) return undefined;
    ancestors.add(value);
    for (const [step, child] of children(value)) {
      const found = visit(child, path + step, depth + 1);
      if (found !== undefined) return found;
    }
    ancestors.delete(value);
    return undefined;
  };
  return visit(root, "$", 0);
}
