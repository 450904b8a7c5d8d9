// Text with a lone UTF-16 surrogate cannot be stored as it was given: SQLite keeps UTF-8, where it
// becomes U+FFFD, while the JSON history would keep the original, so the record and its history
// would silently differ. Such input is refused instead, naming the field.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or object key) in a JSON-like value that is not well-formed Unicode. */
export function findBrokenText(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findBrokenText(value[i], [...path, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (LONE_SURROGATE.test(k)) return [...path, k];
    const p = findBrokenText(v, [...path, k], depth + 1);
    if (p) return p;
  }
  return null;
}
