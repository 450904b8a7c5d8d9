import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ULIDs: random enough that records from several laptops merge without collisions, and
// time-ordered so "newest first" indexes stay compact.
// The random characters come from a pool of crypto-random bytes refilled 4 KB at a time (ulid's
// own source asks the operating system once per character: a tenth of a 100,000-row import).
const pool = new Uint8Array(4096);
let at = pool.length;
function random(): number {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  // byte / 256 is below 1; ulid takes floor(x * 32), so each of its 32 characters is equally likely.
  return pool[at++]! / 256;
}
const next = monotonicFactory(random);

export function newId(): string {
  return next();
}
