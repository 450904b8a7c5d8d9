/** The text of shared/contract/names.ts for these channel names (scripts/gen-channels.ts writes it). */
export function channelNamesSource(names: readonly string[]): string {
  return `// Generated from shared/contract (npm run gen:channels): do not edit by hand.
// The channel names alone, with no schema code, so the preload bundle stays tiny.

export const CHANNEL_NAMES = [
${names.map((n) => `  '${n}',`).join('\n')}
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}
`;
}
