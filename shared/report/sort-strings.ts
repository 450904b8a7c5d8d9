/**
 * The strings in code-unit order, as `[...values].sort()` gives them. Record ids (ULIDs) all have
 * the same length and a long common prefix, which makes comparing them slow; such lists are
 * radix-sorted one character position at a time instead, from the last position to the first,
 * skipping positions where every id has the same character. Anything else goes to sort().
 */
export function sortStrings(values: readonly string[]): string[] {
  const n = values.length;
  const len = n ? values[0]!.length : 0;
  if (n < 256 || values.some((v) => v.length !== len)) return values.slice().sort();
  const codes = new Uint16Array(n * len);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    for (let p = 0; p < len; p++) codes[i * len + p] = v.charCodeAt(p);
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  for (let p = len - 1; p >= 0; p--) {
    let min = 0xffff;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const c = codes[i * len + p]!;
      if (c < min) min = c;
      if (c > max) max = c;
    }
    if (min === max) continue;
    if (max - min > 4096) return values.slice().sort();
    // A stable counting sort on this position keeps the order of the later positions within it.
    const start = new Uint32Array(max - min + 2);
    for (let i = 0; i < n; i++) start[codes[i * len + p]! - min + 1]!++;
    for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[start[codes[i * len + p]! - min]!++] = i;
    }
    [order, next] = [next, order];
  }
  return Array.from(order, (i) => values[i]!);
}
