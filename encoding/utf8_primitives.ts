/**
 * The named door through which other folders reach the UTF-8 core's
 * primitives (the serializers' string writers and readers), so that no
 * `_`-prefixed module is imported from outside `encoding/`. Internal: not an
 * entry point of the package, and callers validate their arguments first
 * (see encoding/_utf8_core.ts for each primitive's contract).
 *
 * @module
 */
export {
  type CharTables,
  createCharTables,
  decodeShortUtf8,
  decodeUtf8Fatal,
  decodeUtf8Native,
  encodeUtf8Native,
  encodeUtf8NativeUnchecked,
  encodeUtf8Unchecked,
  findInvalidUtf8,
  SHORT_DECODE_MAX,
} from "./_utf8_core.ts";
