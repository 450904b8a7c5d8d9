// The operating system's open dialogs, asked of the desktop app's main process (the CLI and the
// browser harness have none, and take a typed path instead). The purpose names what is chosen, so
// the dialog's title and filters are the app's words, never the page's.
import { z } from 'zod';

export const DIALOG_PURPOSES = ['bundle-folder', 'bundle-file'] as const;
export type DialogPurpose = (typeof DIALOG_PURPOSES)[number];

export const dialogChannels = {
  'dialogs:choose': {
    summary:
      'Ask the operating system for a path (desktop app only): the folder a sync bundle is written into, or the bundle file to read; probe: only say whether a dialog exists',
    input: z.object({
      purpose: z.enum(DIALOG_PURPOSES, 'must be bundle-folder or bundle-file'),
      probe: z.boolean().default(false),
    }),
    /** path: null when probing, or when the user cancelled. */
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
} as const;
