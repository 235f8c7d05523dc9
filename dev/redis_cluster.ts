/**
 * A Redis Cluster of 3 masters (no replicas) on free loopback ports, for the
 * tests, the chaos run and the bench: `redis-server --cluster-enabled yes`
 * per node, joined with `redis-cli --cluster create`. Each node keeps an
 * append-only file in its own temp dir, so a master stopped (SIGTERM fsyncs
 * it) and restarted from the same dir and `nodes.conf` rejoins with its keys.
 * `cluster-require-full-coverage no` keeps the other masters serving while
 * one is down (without replicas there is no failover: its slots wait for it).
 *
 * Every node is killed on every exit path (`trackChild`); a node that does
 * not start, or a cluster that is not `ok`, fails within seconds.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { freePort, MISSING_SERVERS_REASON, REDIS_SERVER_PATH, trackChild } from "./services.ts";

/** Where Debian installs redis-cli (package redis-tools). */
export const REDIS_CLI_PATH = "/usr/bin/redis-cli";

/** Whether redis-server and redis-cli exist. */
export const CLUSTER_INSTALLED: boolean = existsSync(REDIS_SERVER_PATH) &&
  existsSync(REDIS_CLI_PATH);

/** The skip reason when they do not: the messaging tests' one reason. */
export const MISSING_CLUSTER_REASON: string = MISSING_SERVERS_REASON;

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running Redis Cluster. */
export interface RedisClusterHandle {
  /** `redis://127.0.0.1:port` of every master. */
  readonly urls: readonly string[];
  /** The masters' ports. */
  readonly ports: readonly number[];
  /** Stops master `index` (SIGTERM; its AOF is fsynced) and starts it again; resolves when the cluster is ok. */
  restartNode(index: number): Promise<void>;
  /** Stops every node and removes the temp dir. Safe to call twice. */
  close(): Promise<void>;
}

/** Sends one inline command; resolves with the whole reply text once `done(reply)` or after 1 s. */
function inline(port: number, command: string, done: (reply: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let reply = "";
    const finish = () => {
      socket.destroy();
      resolve(reply);
    };
    socket.once("connect", () => socket.write(command + "\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (done(reply)) finish();
    });
    socket.once("error", finish);
    socket.setTimeout(1000, finish);
  });
}

/** Whether a RESP reply holding one bulk string (or an error) is complete. */
function bulkComplete(reply: string): boolean {
  const header = reply.indexOf("\r\n");
  if (header < 0) return false;
  if (reply[0] !== "$") return true;
  return reply.length >= header + 2 + Number(reply.slice(1, header)) + 2;
}

async function clusterOk(port: number, nodes: number): Promise<boolean> {
  const info = await inline(port, "CLUSTER INFO", bulkComplete);
  return info.includes("cluster_state:ok") && info.includes("cluster_slots_ok:16384") &&
    info.includes(`cluster_known_nodes:${nodes}`);
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port + 10000 > 65535 || taken.has(port)) continue;
    const bus = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: HOST, port: port + 10000 });
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(true));
    });
    if (bus) return port;
  }
  throw new Error("Cannot find a free port pair for a cluster node");
}

function runCli(args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_CLI_PATH, args, { stdio: ["ignore", "pipe", "pipe"] });
    trackChild(child);
    let output = "";
    child.stdout?.on("data", (chunk: Uint8Array) => output += String(chunk));
    child.stderr?.on("data", (chunk: Uint8Array) => output += String(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-cli ${args.join(" ")} took over ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`redis-cli ${args.join(" ")} exited with ${code}: ${output}`));
    });
  });
}

/** Starts a Redis Cluster of `masters` masters (default 3) and waits until it is `ok`. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const root = mkdtempSync(join(tmpdir(), "catga-redis-cluster-"));
  // Ctrl-C and crashes end in process.exit (the servers are killed by then): the data goes too.
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  process.once("exit", removeRoot);
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await freeClusterPort(taken);
    taken.add(port);
    ports.push(port);
  }
  const children: (ChildProcess | undefined)[] = new Array(masters).fill(undefined);
  const logs: string[] = new Array(masters).fill("");

  const launch = async (index: number) => {
    const port = ports[index];
    const dir = join(root, String(port));
    mkdirSync(dir, { recursive: true });
    const child = spawn(REDIS_SERVER_PATH, [
      "--port",
      String(port),
      "--bind",
      HOST,
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, "nodes.conf"),
      "--cluster-node-timeout",
      "3000",
      "--cluster-require-full-coverage",
      "no",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
      "--save",
      "",
      "--daemonize",
      "no",
      "--logfile",
      "",
    ], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    trackChild(child);
    children[index] = child;
    child.stdout?.on(
      "data",
      (chunk: Uint8Array) => logs[index] = (logs[index] + chunk).slice(-2000),
    );
    child.stderr?.on(
      "data",
      (chunk: Uint8Array) => logs[index] = (logs[index] + chunk).slice(-2000),
    );
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && child.exitCode === null) {
      const pong = await inline(port, "PING", (reply) => reply.includes("\r\n"));
      if (pong.startsWith("+PONG")) return;
      await sleep(25);
    }
    child.kill("SIGKILL");
    throw new Error(`Cannot start cluster node on ${HOST}:${port}: ${logs[index].slice(-400)}`);
  };

  const stopNode = async (index: number) => {
    const child = children[index];
    children[index] = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const waitOk = async () => {
    const deadline = Date.now() + START_TIMEOUT_MS * 2;
    while (Date.now() < deadline) {
      const states = await Promise.all(ports.map((port) => clusterOk(port, masters)));
      if (states.every(Boolean)) return;
      await sleep(100);
    }
    throw new Error(
      `Cannot see cluster_state:ok on ${ports.join(", ")} within ${START_TIMEOUT_MS * 2} ms`,
    );
  };

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(ports.map((_, index) => stopNode(index)));
    process.off("exit", removeRoot);
    removeRoot();
  };

  try {
    await Promise.all(ports.map((_, index) => launch(index)));
    await runCli([
      "--cluster",
      "create",
      ...ports.map((port) => `${HOST}:${port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ], 20_000);
    await waitOk();
  } catch (error) {
    await close();
    throw error;
  }

  return {
    urls: ports.map((port) => `redis://${HOST}:${port}`),
    ports,
    restartNode: async (index: number) => {
      await stopNode(index);
      await launch(index);
      await waitOk();
    },
    close,
  };
}
