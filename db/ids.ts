import { monotonicFactory } from 'ulid';

// ULIDs: random enough that records from several laptops merge without collisions, and
// time-ordered so "newest first" indexes stay compact.
const next = monotonicFactory();

export function newId(): string {
  return next();
}
