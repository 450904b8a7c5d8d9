import { recordHistory, type Entity } from '../../../db/history/versions';
import { AppError } from '../../../shared/errors';
import type { Context } from './context';

/** Every version of a record, or NOT_FOUND when it never existed. */
export function historyOf(ctx: Context, entity: Entity, noun: string, id: string) {
  const versions = recordHistory(ctx.db, entity, id);
  if (versions.length === 0) throw notFound(noun, id);
  return { id, versions };
}

export function notFound(noun: string, id: string, path: (string | number)[] = ['id']): AppError {
  return new AppError('NOT_FOUND', `no ${noun} with id ${id}`, [{ path, message: 'not found' }]);
}

/** Refuses input whose references point nowhere, naming each field. */
export function refuseIssues(issues: { path: (string | number)[]; message: string }[]): void {
  if (issues.length) {
    throw new AppError('INVALID_INPUT', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);
  }
}

/** Dates that cannot lie ahead of today (the session's clock), each named by its field. */
export function futureDateIssues(ctx: Context, dates: Record<string, string | null | undefined>, prefix: (string | number)[] = []) {
  const today = ctx.now().toISOString().slice(0, 10);
  return Object.entries(dates)
    .filter(([, d]) => d && d > today)
    .map(([field]) => ({ path: [...prefix, field], message: `cannot be later than today (${today})` }));
}
