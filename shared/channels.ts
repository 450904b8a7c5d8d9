// The channel names alone, with no schema code, so the preload bundle stays tiny.
// shared/contract.ts checks at compile time that this list and the contract agree.
import { REPORT_CHANNEL_NAMES } from './report/channel-names';

export const CHANNEL_NAMES = [
  'app:info',
  'vocab:categories',
  'facilities:create',
  'facilities:list',
  'facilities:get',
  'facilities:update',
  'facilities:delete',
  'facilities:restore',
  'facilities:history',
  'people:create',
  'people:list',
  'people:get',
  'people:update',
  'people:delete',
  'people:restore',
  'people:history',
  'people:similar',
  'people:timeline',
  'interviews:create',
  'interviews:list',
  'interviews:get',
  'interviews:update',
  'interviews:delete',
  'interviews:restore',
  'interviews:history',
  'incidents:create',
  'incidents:bulk-create',
  'incidents:list',
  'incidents:search',
  'incidents:get',
  'incidents:update',
  'incidents:delete',
  'incidents:restore',
  'incidents:history',
  'staff:list',
  'staff:create',
  'session:set-user',
  'session:get-user',
  'drafts:save',
  'drafts:get',
  'drafts:list',
  'drafts:discard',
  ...REPORT_CHANNEL_NAMES,
  'vault:status',
  'vault:setup',
  'vault:unlock',
  'vault:rekey',
  'audit:verify',
  'backup:create',
  'backup:list',
  'backup:restore',
  'backup:settings',
  'backup:configure',
  'jobs:cancel',
] as const;

/** The one message the app pushes to the window (not a contract channel): a long job's progress. */
export const JOB_EVENTS = 'attest:job-event';

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}
