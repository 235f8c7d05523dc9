/**
 * Debug-mode leak reports: owners and writers collected without being disposed.
 * Internal to pool/; not part of the public API.
 *
 * @module
 */
import type { LeakHandler, LeakReport } from "./options.ts";
import { HAS_FINALIZATION_REGISTRY, HAS_TRANSFER } from "../platform/runtime.ts";

/** Reports owners that are garbage-collected while still holding pooled memory. */
export class LeakTracker {
  #registry: FinalizationRegistry<LeakReport>;

  /** @param onLeak Called once for each leaked owner. */
  constructor(onLeak: LeakHandler) {
    this.#registry = new FinalizationRegistry(onLeak);
  }

  /** Starts watching `owner`; `kind` names it in the report. */
  track(owner: object, kind: string): void {
    const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
    this.#registry.register(owner, { kind, stack }, owner);
  }

  /** Stops watching `owner` (it was disposed). */
  untrack(owner: object): void {
    this.#registry.unregister(owner);
  }
}

/**
 * The leak tracker of a new debug-mode pool, or `undefined` where the runtime
 * has no `FinalizationRegistry`. Each missing debug capability is announced
 * with one `console.warn` per process, not per pool.
 */
export function createLeakTracker(onLeak: LeakHandler): LeakTracker | undefined {
  if (!HAS_TRANSFER) {
    noticeOnce(
      "transfer",
      "@catga/memory: debug pools cannot detach returned buffers here " +
        "(no ArrayBuffer.prototype.transfer); stale views stay usable.",
    );
  }
  if (!HAS_FINALIZATION_REGISTRY) {
    noticeOnce(
      "finalization",
      "@catga/memory: debug pools cannot report leaks here (no FinalizationRegistry); " +
        "leak reports are off.",
    );
    return undefined;
  }
  return new LeakTracker(onLeak);
}

// Which notices were printed; printing is the only effect, results never depend on it.
const noticed = new Set<string>();

function noticeOnce(key: string, message: string): void {
  if (noticed.has(key)) return;
  noticed.add(key);
  console.warn(message);
}

/** The default leak handler. */
export function warnLeak(report: LeakReport): void {
  console.warn(
    `@catga/memory: a ${report.kind} was garbage-collected without being disposed; ` +
      `its buffer never returned to the pool. Rented at:\n${report.stack}`,
  );
}

// Keyed by pool, so each pool keeps its own handler; only debug pools have an entry.
const trackers = new WeakMap<object, LeakTracker>();

/** Attaches a tracker to a debug-mode pool. */
export function attachLeakTracker(pool: object, tracker: LeakTracker): void {
  trackers.set(pool, tracker);
}

/** The tracker of a debug-mode pool, or `undefined` when the pool is not in debug mode. */
export function leakTrackerOf(pool: object): LeakTracker | undefined {
  return trackers.get(pool);
}
