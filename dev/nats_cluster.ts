/**
 * A 3-node NATS cluster with JetStream on free loopback ports: real `nats-server`s, each with a
 * client, a route and a monitoring port, its own store dir, and routes to the other nodes (the
 * recipe measured in the shared cluster notes). Start-up waits for the JetStream meta leader
 * (about 4 s on a 2-core machine).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  NATS_SERVER_PATH,
  type ServerHandle,
  startAll,
  startServer,
  waitFor,
} from "./services.ts";

/** Every node is ready within this; the meta leader is elected within it too. */
const START_TIMEOUT_MS = 20_000;

/**
 * A running cluster: each node's name and client URL (give `urls` to `connect({ servers })`).
 * `restartNode` stops a node ("SIGTERM", the default, is a clean shutdown, "SIGKILL" a crash),
 * starts it on the same ports and store, then waits for a meta leader; `close` (safe twice)
 * stops all and removes the temp dir.
 */
export interface NatsCluster {
  readonly nodes: readonly { readonly name: string; readonly url: string }[];
  readonly urls: readonly string[];
  restartNode(index: number, signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Resolves once a node reports a JetStream meta leader with every peer. */
  waitForMetaLeader(timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

async function metaLeader(monitorPort: number, size: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${monitorPort}/jsz`, {
      signal: AbortSignal.timeout(1000),
    });
    type Jsz = { meta_cluster?: { leader?: string; cluster_size?: number } };
    const meta = ((await response.json()) as Jsz).meta_cluster;
    return meta?.cluster_size === size && meta.leader ? meta.leader : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a 3-node NATS cluster with JetStream (`extraArgs` go to every node) and resolves once it
 * has a meta leader.
 *
 * @throws {Error} Within seconds when a node exits at start, or after 20 s without a ready node
 * or a meta leader; every node is stopped first.
 */
export async function startNatsCluster(
  options: { readonly extraArgs?: readonly string[] } = {},
): Promise<NatsCluster> {
  const size = 3;
  const dir = mkdtempSync(join(tmpdir(), "catga-nats-cluster-"));
  const ports: number[] = [];
  // Distinct free ports: freePort may hand back a port it just gave.
  while (ports.length < size * 3) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const route = (i: number) => `nats://127.0.0.1:${ports[size + i]}`;
  const monitorPort = (i: number) => ports[2 * size + i];
  let servers: ServerHandle[] = [];
  const waitForMetaLeader = (timeoutMs = START_TIMEOUT_MS) =>
    waitFor(
      async () => {
        for (let i = 0; i < size; i++) {
          const leader = servers[i]?.running ? await metaLeader(monitorPort(i), size) : undefined;
          if (leader !== undefined) return leader;
        }
      },
      timeoutMs,
      () =>
        `Cannot see a JetStream meta leader:\n${
          servers.map((server, i) => `n${i + 1}: ${server.log().slice(-300)}`).join("\n")
        }`,
    );
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers = await startAll(
      ports.slice(0, size).map((port, i) =>
        startServer({
          name: `NATS node n${i + 1}`,
          scheme: "nats",
          binary: NATS_SERVER_PATH,
          port,
          dir: join(dir, `n${i + 1}`),
          args: (_, store) => [
            ...["-a", "127.0.0.1", "-p", String(port), "-m", String(monitorPort(i))],
            ...["-js", "-sd", store, "--name", `n${i + 1}`, "--cluster_name", "catga"],
            ...["--cluster", route(i), "--routes"],
            ports.slice(0, size).map((_, j) => route(j)).filter((_, j) => j !== i).join(","),
            ...(options.extraArgs ?? []),
          ],
          ready: /Server is ready/,
          timeoutMs: START_TIMEOUT_MS,
        })
      ),
    );
    await waitForMetaLeader();
  } catch (error) {
    await close();
    throw error;
  }
  const nodes = servers.map((server, i) => ({ name: `n${i + 1}`, url: server.url }));
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    restartNode: async (i, signal) => {
      if (!(i >= 0 && i < size)) {
        throw new RangeError(`Cannot find node ${i}: the cluster has ${size}`);
      }
      await servers[i].stop(signal);
      await servers[i].start();
      await waitForMetaLeader();
    },
    waitForMetaLeader,
    close,
  };
}
