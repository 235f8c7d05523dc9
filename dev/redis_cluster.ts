/**
 * A Redis Cluster of 3 masters (no replicas) on free loopback ports, joined with
 * `redis-cli --cluster create`. Each node keeps an append-only file in its own dir, so a master
 * stopped (SIGTERM fsyncs it) and restarted from the same dir and `nodes.conf` rejoins with its
 * keys. `cluster-require-full-coverage no` keeps the other masters serving while one is down
 * (without replicas there is no failover: its slots wait for it).
 *
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import getPort from "get-port";
import { join } from "node:path";
import {
  freePort,
  MISSING_SERVERS_REASON,
  REDIS_CLI_PATH,
  REDIS_SERVER_PATH,
  redisArgs,
  run,
  startAll,
  startServer,
  waitFor,
} from "./services.ts";

/** Whether redis-server and redis-cli exist. */
export const CLUSTER_INSTALLED: boolean = existsSync(REDIS_SERVER_PATH) &&
  existsSync(REDIS_CLI_PATH);

/** The skip reason when they do not: the messaging tests' one reason. */
export const MISSING_CLUSTER_REASON: string = MISSING_SERVERS_REASON;

/** A running Redis Cluster. */
export interface RedisClusterHandle {
  /** `redis://127.0.0.1:port` of every master. */
  readonly urls: readonly string[];
  readonly ports: readonly number[];
  /** Stops master `index` (SIGTERM) and starts it again; resolves when the cluster is ok. */
  restartNode(index: number): Promise<void>;
  /** Stops every node and removes the temp dir. Safe to call twice. */
  close(): Promise<void>;
}

async function cli(args: readonly string[], timeoutMs = 5000): Promise<string> {
  const result = await run([REDIS_CLI_PATH, ...args], {
    label: "redis-cli",
    timeoutMs,
    group: false,
  });
  if (result.code === 0) return result.output;
  throw new Error(`redis-cli ${args.join(" ")} exited with ${result.code}: ${result.output}`);
}

/** A free port whose cluster bus port (+10000) is free too. */
function freeClusterPort(taken: readonly number[]): Promise<number> {
  return waitFor(
    async () => {
      const port = await freePort();
      if (port + 10000 > 65535 || taken.includes(port)) return undefined;
      return await getPort({ host: "127.0.0.1", port: port + 10000 }) === port + 10000
        ? port
        : undefined;
    },
    5000,
    () => "Cannot find a free port pair for a cluster node",
    0,
  );
}

/** Starts a Redis Cluster of `masters` masters (default 3) and waits until it is `ok`. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const root = mkdtempSync(join(tmpdir(), "catga-redis-cluster-"));
  const ports: number[] = [];
  while (ports.length < masters) ports.push(await freeClusterPort(ports));
  const clusterOk = async (port: number) => {
    const info = await cli(["-p", String(port), "cluster", "info"]).catch(() => "");
    return info.includes("cluster_state:ok") && info.includes("cluster_slots_ok:16384") &&
      info.includes(`cluster_known_nodes:${masters}`);
  };
  const waitOk = () =>
    waitFor(
      async () => (await Promise.all(ports.map(clusterOk))).every(Boolean) || undefined,
      20_000,
      () => `Cannot see cluster_state:ok on ${ports.join(", ")}`,
    );
  const nodes = await startAll(ports.map((port) => {
    const dir = join(root, String(port));
    return startServer({
      name: "cluster node",
      scheme: "redis",
      binary: REDIS_SERVER_PATH,
      port,
      dir,
      args: () => [
        ...redisArgs(port, dir),
        ...["--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf")],
        ...["--cluster-node-timeout", "3000", "--cluster-require-full-coverage", "no"],
      ],
      ready: /Ready to accept connections/,
    });
  })).catch((error) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });
  const close = async () => {
    await Promise.all(nodes.map((node) => node.close()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await cli(
      ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"],
      20_000,
    );
    await waitOk();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    urls: nodes.map((node) => node.url),
    ports,
    restartNode: async (index: number) => {
      await nodes[index].restart();
      await waitOk();
    },
    close,
  };
}
