/**
 * The result schema and targets live in dev/schema.ts (the report reads them too); bench files
 * import them from here.
 *
 * @module
 */
export * from "../dev/schema.ts";
