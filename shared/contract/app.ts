// The app itself, the vocabulary, who is working, and kept drafts.
import { z } from 'zod';
import { IdleLockSettings } from '../safety';
import { CategoryCode, Draft, DraftKey, DraftSaveInput, Id, SessionUser, Staff, StaffInput, listOf } from '../schemas';

export const appChannels = {
  'app:info': {
    summary: 'Version of the app and of the database schema',
    input: z.object({}).default({}),
    output: z.object({ appVersion: z.string(), schemaVersion: z.number().int() }),
  },
  'vocab:categories': {
    summary: 'The incident category vocabulary',
    input: z.object({}).default({}),
    output: z.array(
      z.object({ code: CategoryCode, label: z.string(), description: z.string(), standard: z.string() }),
    ),
  },
} as const;

export const sessionChannels = {
  'staff:list': {
    summary: 'The local list of staff who may use this database',
    input: z.object({}).default({}),
    output: listOf(Staff),
  },
  'staff:create': {
    summary: 'Add a staff member to the local list',
    input: StaffInput,
    output: Staff,
    write: true,
  },
  'session:set-user': {
    summary: 'Pick who is acting (a staff member); recorded in the history of every write',
    input: z.object({ staffId: Id }),
    output: SessionUser,
  },
  'session:get-user': {
    summary: 'Who is acting now',
    input: z.object({}).default({}),
    output: SessionUser,
  },
  'session:idle-lock': {
    summary: 'After how many minutes without a key press or pointer move the window locks (0: never; 15 until set)',
    input: z.object({}).default({}),
    output: IdleLockSettings,
  },
  'session:configure-idle-lock': {
    summary: 'Set the idle lock (minutes, 0: never); kept in the settings, chained in the history',
    input: IdleLockSettings,
    output: IdleLockSettings,
    write: true,
  },
  'drafts:save': {
    summary: 'Keep an unsaved form in the database, so a crash or a closed window loses nothing',
    input: DraftSaveInput,
    output: Draft,
    write: true,
  },
  'drafts:get': {
    summary: 'The draft kept under a key, or null',
    input: z.object({ key: DraftKey }),
    output: Draft.nullable(),
  },
  'drafts:list': {
    summary: 'Every kept draft, newest first',
    input: z.object({}).default({}),
    output: z.object({ items: z.array(Draft) }),
  },
  'drafts:discard': {
    summary: 'Drop the draft kept under a key (after saving the record, or on cancel)',
    input: z.object({ key: DraftKey }),
    output: z.object({ discarded: z.boolean() }),
    write: true,
  },
} as const;
