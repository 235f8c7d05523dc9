/**
 * The server and script helpers live in dev/services.ts (the bench uses them too); tests import
 * them from here.
 *
 * @module
 */
export * from "../dev/services.ts";
