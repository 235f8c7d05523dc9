/**
 * The example service on Bun: `bun examples/bun.ts` (or `npm start`).
 * Serves the example handler on `PORT` (default 8787; `HOST` optional,
 * `POOL_DEBUG=1` for a debug pool) and prints the URL.
 *
 * @module
 */
import process from "node:process";
import { handlerFromEnv, portFrom } from "./app.ts";

/** The part of Bun's API this entry point uses (Bun's own types are not a dependency). */
interface BunRuntime {
  serve(options: {
    port: number;
    hostname?: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { readonly url: URL; stop(force?: boolean): void };
}

const bun = (globalThis as unknown as { Bun?: BunRuntime }).Bun;
if (bun === undefined) {
  throw new TypeError("examples/bun.ts runs on Bun: use `bun examples/bun.ts`");
}

const server = bun.serve({
  port: portFrom(process.env.PORT),
  hostname: process.env.HOST,
  fetch: handlerFromEnv(process.env.POOL_DEBUG),
});
const url = `http://localhost:${server.url.port}/`;
console.log(`@catga/memory example (Bun ${process.versions.bun}) listening on ${url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.stop(true);
    process.exit(0);
  });
}
