// The channel names alone, with no schema code, so the preload bundle stays tiny.
// shared/contract.ts checks at compile time that this list and the contract agree.
export const CHANNEL_NAMES = [
  'app:info',
  'vocab:categories',
  'facilities:create',
  'facilities:list',
  'facilities:get',
  'people:create',
  'people:list',
  'people:get',
  'incidents:create',
  'incidents:list',
  'incidents:get',
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
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}
