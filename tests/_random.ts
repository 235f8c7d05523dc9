/**
 * The seeded PRNG lives in dev/random.ts (bench fixtures use it too); tests import it from here.
 *
 * @module
 */
export * from "../dev/random.ts";
