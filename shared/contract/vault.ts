// Evidence safety: the vault channels answer before the database is unlocked (every other channel
// answers LOCKED until then); the history check and backups. These manage their own transactions
// and files, so none is marked as a plain write.
import { z } from 'zod';
import { JobId } from '../jobs';
import {
  BackupConfigureInput,
  BackupCreateInput,
  BackupDescribeInput,
  BackupDescription,
  BackupFile,
  BackupList,
  BackupRestoreInput,
  BackupRestoreOutput,
  BackupSettings,
  FilePath,
  VaultRekeyInput,
  VaultSetupInput,
  VaultStatus,
  VaultUnlockInput,
  VerifyReport,
} from '../safety';

export const vaultChannels = {
  'vault:status': {
    summary: 'Whether the database is new, locked or unlocked, and whether it is encrypted',
    input: z.object({}).default({}),
    output: VaultStatus,
  },
  'vault:setup': {
    summary: 'First run: create the database encrypted with a passphrase, or explicitly unencrypted',
    input: VaultSetupInput,
    output: VaultStatus,
  },
  'vault:unlock': {
    summary: 'Open the encrypted database with its passphrase',
    input: VaultUnlockInput,
    output: VaultStatus,
  },
  'vault:lock': {
    summary:
      'Lock now: stop long reads, close the connection and forget the passphrase; every channel but vault:* answers LOCKED until vault:unlock. Refused (CONFLICT) for an unencrypted database',
    input: z.object({}).default({}),
    output: VaultStatus,
  },
  'vault:rekey': {
    summary: 'Change the passphrase (or encrypt an unencrypted database)',
    input: VaultRekeyInput,
    output: VaultStatus,
  },
  'audit:verify': {
    summary:
      'Recompute the audit chain and every record version hash, compare every current and derived row with its record, and the history with every chain tip recorded outside it; name the first broken row. Reads only what came after the last intact check unless full, or another connection wrote to the file',
    input: z
      .object({
        full: z.boolean().default(false),
        /** Also compare with these recorded tips: export manifests, backup sidecars or tip files kept elsewhere. */
        against: z.array(FilePath).max(100).optional(),
        /** Set by the caller to follow progress events and to cancel with jobs:cancel. */
        jobId: JobId.optional(),
      })
      .default({ full: false }),
    output: VerifyReport,
  },
  'backup:create': {
    summary: 'Back up the database now (encrypted when it is)',
    input: BackupCreateInput,
    output: BackupFile,
  },
  'backup:list': {
    summary: 'Backups in the backup folder, newest first',
    input: z.object({}).default({}),
    output: BackupList,
  },
  'backup:describe': {
    summary:
      "What a backup holds, read from it: the laptop (device) that wrote it, its people, incidents, interviews and facilities, its history length; needsPassphrase when it was made with another passphrase; withCurrent: the open database's too",
    input: BackupDescribeInput,
    output: BackupDescription,
  },
  'backup:restore': {
    summary:
      "Restore a backup after verifying it (passphrase: the backup's own, when it was made before a passphrase change; the restored database keeps the current passphrase); a backup with a shorter history needs acceptLoss (else NEEDS_CONFIRMATION says what would be lost); the current file is kept aside",
    input: BackupRestoreInput,
    output: BackupRestoreOutput,
  },
  'backup:settings': {
    summary: 'The backup plan: folder, every N writes or minutes, how many to keep',
    input: z.object({}).default({}),
    output: BackupSettings,
  },
  'backup:configure': {
    summary: 'Change the backup plan',
    input: BackupConfigureInput,
    output: BackupSettings,
  },
} as const;
