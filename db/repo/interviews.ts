import type { Db } from '../driver';
import { stmt } from '../stmt';
import type { WriteMeta } from '../history/versions';
import { makeStore } from './records';

import type { Interview, InterviewRow } from '../../shared/schemas';

export type InterviewRecord = Interview;
export type InterviewFields = Omit<Interview, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export const interviewStore = makeStore<InterviewFields>({
  entity: 'interview',
  table: 'interviews',
  noun: 'interview',
  fields: {
    personId: ['person_id', 'text'],
    startedAt: ['started_at', 'text'],
    place: ['place', 'text'],
    interviewer: ['interviewer', 'text'],
    mode: ['mode', 'text'],
    interpreter: ['interpreter', 'text'],
    interpreterLanguage: ['interpreter_language', 'text'],
    durationMinutes: ['duration_minutes', 'int'],
    declarationStatus: ['declaration_status', 'text'],
    declarationSignedOn: ['declaration_signed_on', 'text'],
    notes: ['notes', 'text'],
  },
});

export function createInterview(db: Db, fields: InterviewFields, meta: WriteMeta, id?: string): InterviewRecord {
  return interviewStore.create(db, fields, meta, id);
}

export function updateInterview(db: Db, id: string, expectedVersion: number, fields: InterviewFields, meta: WriteMeta): InterviewRecord {
  return interviewStore.update(db, id, expectedVersion, fields, meta).record;
}

export function setInterviewDeleted(db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta): InterviewRecord {
  return interviewStore.setDeleted(db, id, expectedVersion, deleted, meta).record;
}

export function getInterview(db: Db, id: string, opts: { includeDeleted?: boolean } = {}): InterviewRecord | undefined {
  return interviewStore.get(db, id, opts);
}

export function listInterviews(
  db: Db,
  filter: { limit: number; offset: number; personId?: string | undefined; deleted?: 'hide' | 'only' },
): { items: InterviewRow[]; total: number } {
  const where = [filter.deleted === 'only' ? 'v.deleted_at IS NOT NULL' : 'v.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (filter.personId) {
    where.push('v.person_id = ?');
    params.push(filter.personId);
  }
  const w = where.join(' AND ');
  const items = stmt(
    db,
    `SELECT ${interviewStore.columns('v')}, p.family_name || ', ' || p.given_name AS personName,
       (SELECT count(*) FROM incidents i WHERE i.interview_id = v.id AND i.deleted_at IS NULL) AS incidentCount
     FROM interviews v JOIN people p ON p.id = v.person_id
     WHERE ${w} ORDER BY v.started_at DESC, v.id DESC LIMIT ? OFFSET ?`,
  )
    .all(...params, filter.limit, filter.offset)
    .map((r) => {
      const row = r as Record<string, unknown>;
      return { ...interviewStore.decode(row), personName: row.personName as string, incidentCount: row.incidentCount as number };
    });
  const { n } = stmt(db, `SELECT count(*) AS n FROM interviews v WHERE ${w}`).get(...params) as { n: number };
  return { items, total: n };
}
