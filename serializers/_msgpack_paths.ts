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
  if (value instanceof Set) return [...value].map((item, i) => [`<entry ${i}>`, item]);
  if (value instanceof Error) {
    const out: [string, unknown][] = [[".name", value.name], [".message", value.message], [
      ".cause",
      (value as { cause?: unknown }).cause,
    ]];
    if (typeof AggregateError === "function" && value instanceof AggregateError) {
      out.push([".errors", value.errors]);
    }
    return out;
  }
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

/** A node of the explicit depth-first walk; `exit` marks leaving a container. */
interface Step {
  value: unknown;
  path: string;
  depth: number;
  exit: boolean;
}

/**
 * Walks the tree depth first in encode order, without recursion (a tree as
 * deep as the largest `maxDepth` must not exhaust the JS stack on the error
 * path). `enter` returns a path to stop with, `false` to skip the children, or
 * `true` to descend; `leave` runs when a descended container is done.
 */
function walk(
  root: unknown,
  maxDepth: number,
  enter: (value: unknown, path: string) => string | boolean,
  leave: (value: unknown) => void,
): string | undefined {
  const stack: Step[] = [{ value: root, path: "$", depth: 0, exit: false }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.exit) {
      leave(step.value);
      continue;
    }
    const verdict = enter(step.value, step.path);
    if (typeof verdict === "string") return verdict;
    if (!verdict) continue;
    if (step.depth > maxDepth) {
      leave(step.value);
      continue;
    }
    stack.push({ value: step.value, path: step.path, depth: step.depth, exit: true });
    const next = children(step.value);
    for (let i = next.length - 1; i >= 0; i--) {
      const [name, child] = next[i];
      stack.push({ value: child, path: step.path + name, depth: step.depth + 1, exit: false });
    }
  }
  return undefined;
}

/** The path (like `$.a[2].b`) of the first value matching `test`, in encode order. */
export function findPath(
  root: unknown,
  test: (value: unknown) => boolean,
  maxDepth: number,
): string | undefined {
  return walk(root, maxDepth, (value, path) => test(value) ? path : true, () => {});
}

/** The path of the first container that contains itself, in encode order. */
export function findCyclePath(root: unknown, maxDepth: number): string | undefined {
  const ancestors = new Set<unknown>();
  return walk(
    root,
    maxDepth,
    (value, path) => {
      if (typeof value !== "object" || value === null) return false;
      if (ancestors.has(value)) return path;
      ancestors.add(value);
      return true;
    },
    (value) => ancestors.delete(value),
  );
}
