// Bench files import the result schema and targets (dev/schema.ts) from here.
export * from "../dev/schema.ts";
