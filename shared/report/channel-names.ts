// The report and export channel names alone (no schema code), joined into shared/channels.ts.
export const REPORT_CHANNEL_NAMES = [
  'reports:save',
  'reports:list',
  'reports:get',
  'reports:settings',
  'reports:save-settings',
  'reports:preview',
  'reports:review',
  'reports:export',
  'reports:progress',
  'reports:choose-folder',
  'exports:list',
  'exports:verify',
] as const;
