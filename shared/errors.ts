import type { ErrorCode, Issue } from './contract';

/**
 * An expected failure (not found, stale version, duplicate…), returned to the caller as
 * `{ ok: false, error }`. Defined here so repositories can refuse a write inside the transaction.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
