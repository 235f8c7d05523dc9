// Bench files import the fixtures (dev/fixtures.ts) from here.
export * from "../dev/fixtures.ts";
