/**
 * Finds where JSON text stops being valid, for error messages. Runs only after
 * `JSON.parse` has failed, because engines disagree on whether (and how) their
 * messages name a position.
 *
 * @module
 */

/** The first invalid index of `text` as JSON, with what was expected there. */
export interface JsonSyntaxIssue {
  /** The index (in UTF-16 code units) where the text stops being valid JSON. */
  readonly index: number;
  /** What the scanner expected. */
  readonly expected: string;
}

/**
 * Scans `text` as JSON (RFC 8259) and reports the first invalid index, or
 * `undefined` when the text is valid. Iterative, so deep nesting cannot
 * overflow the stack.
 */
export function findJsonSyntaxIssue(text: string): JsonSyntaxIssue | undefined {
  let i = 0;
  const n = text.length;
  // Open containers: "[" or "{".
  const stack: string[] = [];
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;) {
      c = text.charCodeAt(++i);
    }
  };
  const issue = (expected: string): JsonSyntaxIssue => ({ index: i, expected });
  const scanString = (): JsonSyntaxIssue | undefined => {
    i++; // opening quote
    for (;;) {
      if (i >= n) return issue("a closing quote");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return issue("an escaped control character");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return issue("four hex digits");
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          i++;
          return issue("a valid escape");
        }
      } else {
        i++;
      }
    }
  };
  const scanNumber = (): JsonSyntaxIssue | undefined => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null || match[0] === "" || match[0] === "-") return issue("a value");
    i += match[0].length;
    return undefined;
  };
  const scanValue = (): JsonSyntaxIssue | undefined => {
    const c = text[i];
    if (c === '"') return scanString();
    if (c === "-" || (c >= "0" && c <= "9")) return scanNumber();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    return issue("a value");
  };

  /** `"name" :` and the space after it. */
  const scanPropertyName = (expected: string): JsonSyntaxIssue | undefined => {
    if (text[i] !== '"') return issue(expected);
    const problem = scanString();
    if (problem) return problem;
    skipSpace();
    if (text[i] !== ":") return issue("':'");
    i++;
    skipSpace();
    return undefined;
  };

  skipSpace();
  for (;;) {
    // Expect a value (or, right after an opener, its closer).
    const c = text[i];
    if (c === "[" || c === "{") {
      stack.push(c);
      i++;
      skipSpace();
      if (text[i] === (c === "[" ? "]" : "}")) {
        stack.pop();
        i++;
      } else if (c === "{") {
        const problem = scanPropertyName("a property name or '}'");
        if (problem) return problem;
        continue;
      } else {
        continue;
      }
    } else {
      const problem = scanValue();
      if (problem) return problem;
    }
    // After a value: a separator, a closer, or the end.
    for (;;) {
      skipSpace();
      const open = stack[stack.length - 1];
      if (open === undefined) {
        return i < n ? issue("the end of the input") : undefined;
      }
      const closer = open === "[" ? "]" : "}";
      if (text[i] === closer) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ",") return issue(`',' or '${closer}'`);
      i++;
      skipSpace();
      if (open === "{") {
        const problem = scanPropertyName("a property name");
        if (problem) return problem;
      }
      break;
    }
  }
}
