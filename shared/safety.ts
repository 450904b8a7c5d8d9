import { z } from 'zod';
import { JobId } from './jobs';

// Schemas of the evidence-safety channels: the vault (encryption at rest), the audit check, backups.
// Every string is bounded; passphrases and paths may not hold a NUL (SQLite would cut them there).
const noNul = (s: string) => !s.includes('\u0000');

/** A new passphrase: long enough to resist guessing on a lost laptop. */
export const NewPassphrase = z
  .string()
  .min(10, 'the passphrase must be at least 10 characters')
  .max(1024, 'the passphrase must be at most 1024 characters')
  .refine(noNul, 'the passphrase may not contain a NUL character');

/** A passphrase offered to unlock: any length the app could have set. */
export const Passphrase = z
  .string()
  .min(1, 'enter the passphrase')
  .max(1024, 'the passphrase must be at most 1024 characters')
  .refine(noNul, 'the passphrase may not contain a NUL character');

export const FilePath = z
  .string()
  .trim()
  .min(1, 'a path is required')
  .max(4096, 'the path must be at most 4096 characters')
  .refine(noNul, 'the path may not contain a NUL character');

export const AbsolutePath = FilePath.refine(
  (s) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(s),
  'must be a full path (starting with / or a drive letter)',
);

export const VaultStatus = z.object({
  state: z.enum(['new', 'locked', 'unlocked']),
  /** null while nothing is known (new, or locked and unreadable). */
  encrypted: z.boolean().nullable(),
  file: z.string(),
  /** What was found and repaired beside the file before opening it (an interrupted restore…). */
  notices: z.array(z.string()),
  /** Set when the file was replaced or changed underneath the open app: nothing more is written. */
  problem: z.string().nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

export const VaultSetupInput = z.union([
  z.object({ passphrase: NewPassphrase }).strict(),
  z
    .object({
      noEncryption: z.literal(true, 'confirm that the records will be stored unencrypted'),
    })
    .strict(),
]);

export const VaultUnlockInput = z.object({ passphrase: Passphrase });

export const VaultRekeyInput = z.object({
  /** The current passphrase, required when the database is encrypted. */
  current: Passphrase.optional(),
  next: NewPassphrase,
  jobId: JobId.optional(),
});

export const BrokenRow = z.object({
  seq: z.number().int().nullable(),
  /** Where the fault is; 'recorded-tip': a chain tip kept outside the database (a backup, the tip file, a manifest). */
  table: z.enum([
    'audit_log', 'record_versions', 'facilities', 'people', 'interviews', 'incidents', 'staff',
    'report_definitions', 'report_definition_versions', 'report_settings', 'settings', 'report_exports', 'report_export_files',
    'incident_categories', 'incident_text', 'filing_codes', 'recorded-tip',
    'foreign_rows', 'chain_tips', 'devices', 'record_heads', 'bundle',
  ]),
  entity: z.string().optional(),
  id: z.string().optional(),
  version: z.number().int().optional(),
  /** The device whose chain holds the broken row (several laptops: one chain per device). */
  device: z.string().optional(),
  problem: z.string(),
});

export const VerifyReport = z.object({
  ok: z.boolean(),
  auditRows: z.number().int().nonnegative(),
  recordVersions: z.number().int().nonnegative(),
  firstBroken: BrokenRow.nullable(),
  /** Chain tips recorded outside the database (backup folder) compared with the history; absent when the history itself is broken. */
  recordedTips: z
    .object({
      checked: z.number().int().nonnegative(),
      /** Recorded before a confirmed restore that set their history aside. */
      superseded: z.number().int().nonnegative(),
    })
    .optional(),
  checkedAt: z.string(),
  /** When the whole history was last read; later checks read only what came after it. */
  wholeHistoryCheckedAt: z.string(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

export const BackupFile = z.object({
  file: z.string(),
  name: z.string(),
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  /** False for a file named like a backup that cannot be whole (empty, cut short, interrupted). */
  complete: z.boolean(),
  problem: z.string().nullable(),
});
export type BackupFile = z.infer<typeof BackupFile>;

export const BackupCreateInput = z
  .object({
    /** An existing folder to write into; by default the configured backup folder. */
    folder: AbsolutePath.optional(),
    jobId: JobId.optional(),
  })
  .default({});

export const BackupList = z.object({
  folder: z.string(),
  items: z.array(BackupFile),
  lastBackupAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const BackupRestoreInput = z.object({
  /** The backup file: a full path, or a name in the backup folder. */
  file: FilePath,
  /** The backup's passphrase, when it differs from the current one. */
  passphrase: Passphrase.optional(),
  jobId: JobId.optional(),
  /**
   * True to restore a backup whose history is shorter than (or parts from) the current one. Without
   * it such a restore answers NEEDS_CONFIRMATION, saying what would be lost.
   */
  acceptLoss: z.boolean().optional(),
});

/** What a restore would lose: sent with NEEDS_CONFIRMATION, and after a confirmed restore. */
export const HistoryLoss = z.object({
  entries: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  latestAt: z.string().nullable(),
  backupOnly: z.number().int().nonnegative(),
});

export const BackupRestoreOutput = z.object({
  restoredFrom: z.string(),
  keptAside: z.string(),
  auditRows: z.number().int().nonnegative(),
  /** The history given up, when the restore was confirmed over a loss. */
  lost: HistoryLoss.nullable(),
  /** Entries of the history before the restore (or recorded outside it) that the restored one does not hold. */
  entriesSetAside: z.number().int().nonnegative().optional(),
});

export const BackupSettings = z.object({
  folder: z.string().nullable(),
  folderInUse: z.string(),
  everyWrites: z.number().int().nonnegative(),
  everyMinutes: z.number().int().nonnegative(),
  keep: z.number().int().positive(),
  onClose: z.boolean(),
});

export const BackupConfigureInput = z
  .object({
    /** An existing folder, or null for the "backups" folder beside the database. */
    folder: AbsolutePath.nullable(),
    everyWrites: z.number().int().min(0).max(100_000),
    everyMinutes: z.number().int().min(0).max(10_080),
    keep: z.number().int().min(1, 'keep at least one backup').max(1000),
    onClose: z.boolean(),
  })
  .partial();

/** Records a database holds, as the Backups page compares them (deleted records not counted). */
export const RecordCounts = z.object({
  people: z.number().int().nonnegative(),
  incidents: z.number().int().nonnegative(),
  interviews: z.number().int().nonnegative(),
  facilities: z.number().int().nonnegative(),
});
export type RecordCounts = z.infer<typeof RecordCounts>;

export const DatabaseSummary = z.object({
  /** The laptop that wrote it (its sync device): name when one was given, and key fingerprint. */
  device: z.object({ name: z.string().nullable(), fingerprint: z.string() }).nullable(),
  counts: RecordCounts,
  auditRows: z.number().int().nonnegative(),
});
export type DatabaseSummary = z.infer<typeof DatabaseSummary>;

export const BackupDescribeInput = z.object({
  /** The backup file: a full path, or a name in the backup folder. */
  file: FilePath,
  /** The backup's passphrase, when it differs from the current one. */
  passphrase: Passphrase.optional(),
  /** Also summarise the open database (what a restore would replace). */
  withCurrent: z.boolean().optional(),
});

export const BackupDescription = z.object({
  file: z.string(),
  name: z.string(),
  /** Null when it could not be read: see needsPassphrase and problem. */
  summary: DatabaseSummary.nullable(),
  /** The backup was made with another passphrase: ask for it. */
  needsPassphrase: z.boolean(),
  problem: z.string().nullable(),
  /** The open database, when asked for (withCurrent). */
  current: DatabaseSummary.nullable(),
});
export type BackupDescription = z.infer<typeof BackupDescription>;

/** Lock after this many minutes without a key press or pointer move in the window; 0: never. */
export const IdleLockSettings = z.object({
  minutes: z.number().int().min(0, 'at least 0 (never)').max(1440, 'at most 1440 minutes (a day)'),
});
export type IdleLockSettings = z.infer<typeof IdleLockSettings>;
export const DEFAULT_IDLE_LOCK: IdleLockSettings = { minutes: 15 };
