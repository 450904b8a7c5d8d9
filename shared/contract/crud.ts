// The seven channels every versioned record has (create, list, get, update, delete, restore,
// history), written once: a record type's fragment names its schemas and its own wording.
import { GetById, GuardInput, HistoryOutput } from '../schemas';
import type { z } from 'zod';
import type { Spec, WriteSpec } from './spec';

export type CrudChannels<P extends string, R extends z.ZodType, I extends z.ZodType, U extends z.ZodType, LI extends z.ZodType, LO extends z.ZodType> =
  Record<`${P}:create`, WriteSpec<I, R>> &
  Record<`${P}:list`, Spec<LI, LO>> &
  Record<`${P}:get`, Spec<typeof GetById, R>> &
  Record<`${P}:update`, WriteSpec<U, R>> &
  Record<`${P}:delete` | `${P}:restore`, WriteSpec<typeof GuardInput, R>> &
  Record<`${P}:history`, Spec<typeof GetById, typeof HistoryOutput>>;

export function crudChannels<P extends string, R extends z.ZodType, I extends z.ZodType, U extends z.ZodType, LI extends z.ZodType, LO extends z.ZodType>(
  prefix: P,
  /** The record's noun with its article ("a facility", "an incident"). */
  aNoun: string,
  schemas: { record: R; input: I; update: U; listInput: LI; list: LO },
  words: { create: string; list: string; delete?: string },
): CrudChannels<P, R, I, U, LI, LO> {
  const noun = aNoun.replace(/^an? /, '');
  return {
    [`${prefix}:create`]: { summary: words.create, input: schemas.input, output: schemas.record, write: true },
    [`${prefix}:list`]: { summary: words.list, input: schemas.listInput, output: schemas.list },
    [`${prefix}:get`]: { summary: `One ${noun} by id (a deleted one too, with deletedAt set)`, input: GetById, output: schemas.record },
    [`${prefix}:update`]: {
      summary: `Edit ${aNoun}: the full new record, the version it was read at, and why`,
      input: schemas.update,
      output: schemas.record,
      write: true,
    },
    [`${prefix}:delete`]: {
      summary: words.delete ?? `Delete ${aNoun} (a tombstone: kept in history, restorable)`,
      input: GuardInput,
      output: schemas.record,
      write: true,
    },
    [`${prefix}:restore`]: { summary: `Restore a deleted ${noun}`, input: GuardInput, output: schemas.record, write: true },
    [`${prefix}:history`]: {
      summary: `Every version of ${aNoun}: who, when, why, and each changed field's old and new value`,
      input: GetById,
      output: HistoryOutput,
    },
  } as CrudChannels<P, R, I, U, LI, LO>;
}
