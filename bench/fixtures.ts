/**
 * The fixtures live in dev/fixtures.ts (tests and examples use them too); bench files import
 * them from here.
 *
 * @module
 */
export * from "../dev/fixtures.ts";
