import type { ReportModel } from './model';

// The one set of print options for the exhibit PDF, used by Chromium's page.pdf() (CLI, tests) and
// by Electron's webContents.printToPDF() (the app), so both print the same pages.
//
// Page size, orientation (portrait, landscape incident log), 1-inch margins and the footer
// "Exhibit A — page N of M" all come from the HTML's own @page rules (margin boxes with
// counter(page) and counter(pages)), so the HTML export prints the same way from any Chromium.
// Chromium's displayHeaderFooter stays off: with it on, both footers print.
//
// The PDF is not tagged (so it has no outline either): tagging made a 2,000-row exhibit 12 MB
// instead of 2 MB and took about 4 s more to print, and court e-filing systems cap the size of
// each PDF. The text stays searchable and selectable; the DOCX is the editable, accessible copy.

export interface ExhibitPdfOptions {
  preferCSSPageSize: true;
  printBackground: true;
  displayHeaderFooter: false;
  generateTaggedPDF: false;
  generateDocumentOutline: false;
}

export function exhibitPdfOptions(_model?: ReportModel): ExhibitPdfOptions {
  return {
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: false,
    generateTaggedPDF: false,
    generateDocumentOutline: false,
  };
}

/**
 * The HTML as handed to the printer: the same document, hidden on screen. The print window is
 * never shown, and without this Chromium lays the whole exhibit out once for the screen before it
 * lays it out again in pages (about 2 s of a 2,000-row exhibit). Print layout does not see it.
 */
export function forPrinting(html: string): string {
  const hide = '<style media="screen">body { display: none; }</style>';
  const at = html.indexOf('<head>');
  return at < 0 ? hide + html : html.slice(0, at + 6) + hide + html.slice(at + 6);
}
