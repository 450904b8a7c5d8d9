import type { ReportModel } from './model';

// The one set of print options for the exhibit PDF, used by Chromium's page.pdf() (CLI, tests) and
// by Electron's webContents.printToPDF() (the app), so both print the same pages.
//
// Page size, orientation (portrait, landscape incident log), 1-inch margins and the footer
// "Exhibit A — page N of M" all come from the HTML's own @page rules (margin boxes with
// counter(page) and counter(pages)), so the HTML export prints the same way from any Chromium.
// Chromium's displayHeaderFooter stays off: with it on, both footers print.

export interface ExhibitPdfOptions {
  preferCSSPageSize: true;
  printBackground: true;
  displayHeaderFooter: false;
  /** Outline and tags make the PDF navigable and readable by screen readers. */
  generateTaggedPDF: true;
  generateDocumentOutline: true;
}

export function exhibitPdfOptions(_model?: ReportModel): ExhibitPdfOptions {
  return {
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: false,
    generateTaggedPDF: true,
    generateDocumentOutline: true,
  };
}
