/**
 * The example service on Deno.
 *
 * - Locally: `deno run -A examples/deno.ts` serves on `PORT` (default 8787;
 *   `HOST` optional, `POOL_DEBUG=1` for a debug pool) and prints the URL.
 * - Deno Deploy or `deno serve`: the platform imports the default export, the
 *   `{ fetch }` shape it accepts, and serves it itself.
 *
 * @module
 */
import { handler, handlerFromEnv, portFrom } from "./app.ts";

/** The service in the `export default { fetch }` shape of Deno Deploy and `deno serve`. */
const service: { fetch: (request: Request) => Promise<Response> } = { fetch: handler };
export default service;

// `deno serve` and Deploy serve the default export themselves; only a plain
// `deno run` of this file starts its own server. Deploy sets DENO_DEPLOYMENT_ID.
if (import.meta.main && Deno.env.get("DENO_DEPLOYMENT_ID") === undefined) {
  const server = Deno.serve({
    port: portFrom(Deno.env.get("PORT")),
    hostname: Deno.env.get("HOST"),
    onListen({ port }) {
      console.log(
        `@catga/memory example (Deno ${Deno.version.deno}) listening on http://localhost:${port}/`,
      );
    },
  }, handlerFromEnv(Deno.env.get("POOL_DEBUG")));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      server.shutdown().finally(() => Deno.exit(0));
      setTimeout(() => Deno.exit(0), 1000); // do not wait for idle keep-alive clients
    });
  }
}
