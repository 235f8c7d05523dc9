/**
 * A 3-node NATS cluster with JetStream on free loopback ports, for the
 * messaging tests, the chaos run and the bench: every node is a real
 * `nats-server` (Debian's 2.9), in its own store dir under one temp dir, and
 * is killed on every exit path (the guard of dev/services.ts). Start-up
 * waits for the JetStream meta leader (about 4 s on a 2-core machine), and a
 * node that exits or never listens fails the start within seconds, with its
 * log.
 *
 * The recipe is the one measured in the shared cluster notes: client port,
 * cluster (route) port and monitoring port per node, `--cluster_name`, and
 * routes to the two other nodes.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, NATS_SERVER_PATH, trackChild } from "./services.ts";

const HOST = "127.0.0.1";
/** Every node listens within this; the meta leader is elected within it too. */
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** One node of a {@linkcode NatsCluster}. */
export interface NatsClusterNode {
  readonly name: string;
  /** `nats://127.0.0.1:port`. */
  readonly url: string;
  readonly port: number;
  /** The monitoring port (`/jsz`, `/varz`). */
  readonly monitorPort: number;
  /** Whether its process is running. */
  readonly running: boolean;
}

/** A running cluster started by {@linkcode startNatsCluster}. */
export interface NatsCluster {
  /** The nodes, in start order. */
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL: give them all to `connect({ servers })`. */
  readonly urls: readonly string[];
  /**
   * Stops node `index` and keeps its store. `signal` "SIGTERM" (default) is a
   * clean shutdown; "SIGKILL" is a crash.
   */
  stopNode(index: number, signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a stopped node again on the same ports and store; resolves once it listens. */
  startNode(index: number): Promise<void>;
  /** Stops then starts node `index`, then waits for a meta leader again. */
  restartNode(index: number, signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Resolves once a node reports a JetStream meta leader and every peer. */
  waitForMetaLeader(timeoutMs?: number): Promise<string>;
  /** Stops every node and removes the temp dir. Safe to call twice. */
  close(): Promise<void>;
}

/** Options for {@linkcode startNatsCluster}. */
export interface NatsClusterOptions {
  /** Nodes (default 3). */
  size?: number;
  /** More `nats-server` arguments for every node. */
  extraArgs?: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

interface JszMeta {
  meta_cluster?: { leader?: string; cluster_size?: number; replicas?: { current?: boolean }[] };
}

async function metaLeader(monitorPort: number, size: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://${HOST}:${monitorPort}/jsz`, {
      signal: AbortSignal.timeout(1000),
    });
    const jsz = (await response.json()) as JszMeta;
    const meta = jsz.meta_cluster;
    if (meta?.leader === undefined || meta.leader === "") return undefined;
    if (meta.cluster_size !== size) return undefined;
    return meta.leader;
  } catch {
    return undefined;
  }
}

/**
 * Starts a NATS cluster with JetStream (3 nodes unless told) and resolves
 * once it has a meta leader.
 *
 * @throws {Error} Within seconds when a node exits at start, or after
 * 20 s without a listening node or a meta leader; every node is stopped first.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const dir = mkdtempSync(join(tmpdir(), "catga-nats-cluster-"));
  const ports: number[] = [];
  // Nine distinct free ports: freePort may hand back a port it just gave.
  while (ports.length < size * 3) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const clientPort = (i: number) => ports[i];
  const routePort = (i: number) => ports[size + i];
  const monitorPort = (i: number) => ports[2 * size + i];

  const children: (ChildProcess | undefined)[] = new Array(size).fill(undefined);
  const logs: string[] = new Array(size).fill("");

  const args = (i: number): string[] => {
    const routes: string[] = [];
    for (let j = 0; j < size; j++) if (j !== i) routes.push(`nats://${HOST}:${routePort(j)}`);
    return [
      "-a",
      HOST,
      "-p",
      String(clientPort(i)),
      "-m",
      String(monitorPort(i)),
      "-js",
      "-sd",
      join(dir, `n${i + 1}`),
      "--name",
      `n${i + 1}`,
      "--cluster_name",
      "catga",
      "--cluster",
      `nats://${HOST}:${routePort(i)}`,
      "--routes",
      routes.join(","),
      ...(options.extraArgs ?? []),
    ];
  };

  const launch = (i: number): ChildProcess => {
    mkdirSync(join(dir, `n${i + 1}`), { recursive: true });
    const child = trackChild(
      spawn(NATS_SERVER_PATH, args(i), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }),
    );
    children[i] = child;
    // Keep the tail only: route errors are logged until every peer is up.
    const append = (chunk: Uint8Array) => logs[i] = (logs[i] + String(chunk)).slice(-4000);
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    return child;
  };

  const failure = (i: number, what: string) =>
    new Error(
      `Cannot start NATS node n${i + 1} on ${HOST}:${clientPort(i)}: ${what}\n${
        logs[i].slice(-600)
      }`,
    );

  const waitListening = async (i: number, deadline: number): Promise<void> => {
    const child = children[i];
    while (Date.now() < deadline) {
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
        throw failure(i, `it exited (${child?.exitCode ?? child?.signalCode})`);
      }
      if (await canConnect(clientPort(i))) return;
      await sleep(25);
    }
    throw failure(i, `not listening after ${START_TIMEOUT_MS} ms`);
  };

  const stopNode = async (i: number, signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    const child = children[i];
    children[i] = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const waitForMetaLeader = async (timeoutMs = START_TIMEOUT_MS): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (let i = 0; i < size; i++) {
        const child = children[i];
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
        const leader = await metaLeader(monitorPort(i), size);
        if (leader !== undefined) return leader;
      }
      await sleep(100);
    }
    throw new Error(
      `Cannot see a JetStream meta leader within ${timeoutMs} ms:\n${
        logs.map((log, i) => `n${i + 1}: ${log.slice(-300)}`).join("\n")
      }`,
    );
  };

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(children.map((_, i) => stopNode(i)));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < size; i++) launch(i);
    const deadline = Date.now() + START_TIMEOUT_MS;
    await Promise.all(children.map((_, i) => waitListening(i, deadline)));
    await waitForMetaLeader(Math.max(1000, deadline - Date.now()));
  } catch (error) {
    await close();
    throw error;
  }

  const nodes: NatsClusterNode[] = [];
  for (let i = 0; i < size; i++) {
    nodes.push({
      name: `n${i + 1}`,
      url: `nats://${HOST}:${clientPort(i)}`,
      port: clientPort(i),
      monitorPort: monitorPort(i),
      get running() {
        const child = children[i];
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
    });
  }
  const checkIndex = (i: number) => {
    if (!(i >= 0 && i < size)) {
      throw new RangeError(`Cannot find node ${i}: the cluster has ${size}`);
    }
  };
  return {
    nodes,
    urls: nodes.map((node) => node.url),
    stopNode: (i, signal) => {
      checkIndex(i);
      return stopNode(i, signal);
    },
    startNode: async (i) => {
      checkIndex(i);
      if (nodes[i].running) return;
      launch(i);
      await waitListening(i, Date.now() + START_TIMEOUT_MS);
    },
    restartNode: async (i, signal) => {
      checkIndex(i);
      await stopNode(i, signal);
      launch(i);
      await waitListening(i, Date.now() + START_TIMEOUT_MS);
      await waitForMetaLeader();
    },
    waitForMetaLeader,
    close,
  };
}
