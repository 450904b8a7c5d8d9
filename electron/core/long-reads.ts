// Long reads (the whole history check, an export's records, model and files) behind one interface:
// in the app they run in a reader thread on their own read-only connection (electron/worker/), so
// the core answers other calls meanwhile; the CLI and the in-process test bridge run them here.
import type { AuditTip } from '../../db/history/audit';
import { verifyRecords } from '../../db/history/verify';
import type { Db } from '../../db/driver';
import { readBackupSummary, type SummaryRead } from '../../db/backup';
import type { Job } from './jobs';
import { buildExport, stageExport, type BuildRequest, type StagedExport } from './report-export';
import type { PdfPrinter } from './report-host';

/** Where an export's files are staged, and the log id that names the staging folder. */
export interface ExportStage {
  folder: string;
  id: string;
}

export type VerifyResult = ReturnType<typeof verifyRecords>;

/** A backup to read a summary of, and the key to try. */
export interface SummaryRequest {
  file: string;
  key: string | null;
  nativeBinding?: string;
}

export interface LongReads {
  /** The history check: whole, or only what came after `since`. */
  verify: (since: AuditTip | undefined, job: Job) => Promise<VerifyResult>;
  /**
   * The reading part of an export, and the staging of its files (file writes, none in the
   * database) in `stage.folder` under the log id `stage.id`; `onStep` is called at each step.
   */
  buildExport: (req: BuildRequest, stage: ExportStage, pdf: PdfPrinter | null, job: Job, onStep: (step: string) => void) => Promise<StagedExport>;
  /** What a backup holds (device, counts), read with `key` from the backup file itself; never throws for a wrong key. */
  summary: (req: SummaryRequest, job: Job) => Promise<SummaryRead>;
  /** Stops every running reader (the file is about to be swapped or closed). */
  stopAll: () => Promise<void>;
}

/** On the caller's own connection and thread; a cancel takes effect between steps. */
export function inThreadReads(db: () => Db): LongReads {
  return {
    verify: (since, job) => {
      job.check();
      return Promise.resolve(verifyRecords(db(), since));
    },
    buildExport: async (req, stage, pdf, job, onStep) => {
      const built = await buildExport(db(), req, pdf, (step) => {
        job.check();
        onStep(step);
      });
      job.check();
      return stageExport(db(), stage.folder, stage.id, built);
    },
    summary: (req, job) => {
      job.check();
      return Promise.resolve(readBackupSummary(req.file, req.key, req.nativeBinding));
    },
    stopAll: () => Promise.resolve(),
  };
}
