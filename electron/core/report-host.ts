import type { DialogPurpose } from '../../shared/contract/dialogs';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';

// What exporting needs from its surroundings, behind small interfaces: the desktop app prints with
// Electron's webContents.printToPDF and asks the OS for a folder; the CLI and the tests print with a
// headless Chromium and take the folder as an argument.

export interface PdfPrinter {
  /** Prints one HTML document to PDF bytes with the exhibit's one set of options. */
  print: (html: string, options: ExhibitPdfOptions) => Promise<Uint8Array>;
  close?: () => Promise<void>;
}

export interface ReportHost {
  /** Null when no printer is available; the reason says why, in one sentence. */
  pdf: () => Promise<PdfPrinter | { unavailable: string }>;
  chooseFolder?: () => Promise<string | null>;
  /** The OS open-file dialog for a roster (CSV or XLSX); null when cancelled. */
  chooseFile?: () => Promise<string | null>;
  /** The OS dialog for a sync bundle's folder or file; null when cancelled. */
  choose?: (purpose: DialogPurpose) => Promise<string | null>;
}

const hosts = new WeakMap<object, ReportHost>();

/** Attaches a host to a handler context (the app and the CLI do this once, after opening). */
export function setReportHost(ctx: object, host: ReportHost): void {
  hosts.set(ctx, host);
}

export function reportHostOf(ctx: object): ReportHost | undefined {
  return hosts.get(ctx);
}
