/**
 * Facts about base64 text that every backend needs: the proposal's ASCII
 * whitespace, and the decoded length implied by the text. Internal.
 *
 * @module
 */

/** `=`. */
export const EQUALS = 0x3d;

/** The proposal's ASCII whitespace: tab, LF, FF, CR, space. */
export function isWhitespaceAt(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/**
 * An upper bound on the decoded length that is exact for canonical input:
 * data chars all lie before trailing whitespace and padding.
 */
export function decodedLengthBound(text: string): number {
  let k = text.length;
  let padding = 0;
  while (k > 0) {
    if (text.charCodeAt(k - 1) === EQUALS && padding < 2) padding++;
    else if (!isWhitespaceAt(text, k - 1)) break;
    k--;
  }
  return Math.floor((k * 3) / 4);
}

export function onlyWhitespaceFrom(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) if (!isWhitespaceAt(text, i)) return false;
  return true;
}
