import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  PageBreak,
  PageNumber,
  PageOrientation,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { displayColumns } from './columns';
import { footerText, SUMMARY_CHUNK } from './html';
import { longDate, type ReportModel } from './model';

// The same exhibit as an editable Word document: 14-point Times New Roman (Arabic in the complex-
// script font), 1-inch margins, "Exhibit A — page N of M" in every footer, the incident log in a
// landscape section with its header row repeated on each page.

const PT = 2; // docx sizes are half-points
const SIZE = 14 * PT;
const INCH = 1440; // twips
const ARABIC = /[\u0600-\u06FF]/;
const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman', eastAsia: 'Times New Roman' };

function para(text: string, opts: { bold?: boolean; center?: boolean; italics?: boolean; size?: number; after?: number } = {}): Paragraph {
  const rtl = ARABIC.test(text.replace(/[^\p{L}]/gu, '').charAt(0));
  return new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.START,
    bidirectional: rtl,
    spacing: { after: opts.after ?? 120 },
    children: [
      new TextRun({
        text,
        bold: opts.bold ?? false,
        italics: opts.italics ?? false,
        size: opts.size ?? SIZE,
        sizeComplexScript: opts.size ?? SIZE,
        rightToLeft: rtl,
      }),
    ],
  });
}

function cell(lines: string[], opts: { bold?: boolean; width?: number; right?: boolean; shade?: boolean } = {}): TableCell {
  const all = lines.length ? lines : [''];
  // One paragraph per cell, lines joined by breaks (far fewer objects on long logs), unless a line
  // is right-to-left, which needs its own bidirectional paragraph.
  const rtl = all.some((l) => ARABIC.test(l.replace(/[^\p{L}]/gu, '').charAt(0)));
  const children = rtl
    ? all.map((l) => para(l, { bold: opts.bold ?? false, after: 0 }))
    : [
        new Paragraph({
          alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.START,
          children: all.map((l, i) => new TextRun({ text: l, bold: opts.bold ?? false, size: SIZE, sizeComplexScript: SIZE, ...(i ? { break: 1 } : {}) })),
        }),
      ];
  return new TableCell({
    ...(opts.width ? { width: { size: opts.width, type: WidthType.DXA } } : {}),
    ...(opts.shade ? { shading: { fill: 'E8E8E8' } } : {}),
    margins: { top: 40, bottom: 40, left: 60, right: 60 },
    children,
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

function table(head: TableCell[], rows: TableCell[][], widths: number[]): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    columnWidths: widths,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    borders: BORDERS,
    rows: [new TableRow({ tableHeader: true, cantSplit: true, children: head }), ...rows.map((r) => new TableRow({ cantSplit: true, children: r }))],
  });
}

function footer(model: ReportModel): Footer {
  const [before, middle] = footerText(model, '{page}', '{pages}').split(/\{page\}|\{pages\}/);
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ size: SIZE, children: [before ?? '', PageNumber.CURRENT, middle ?? '', PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
}

function summaryTables(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const cats = m.summary.categories;
  const parts = Math.max(1, Math.ceil(cats.length / SUMMARY_CHUNK));
  const width = 6.5 * INCH;
  for (let i = 0; i < parts; i++) {
    const slice = cats.slice(i * SUMMARY_CHUNK, (i + 1) * SUMMARY_CHUNK);
    const off = i * SUMMARY_CHUNK;
    const facW = Math.round(width * 0.31);
    const totW = Math.round(width * 0.15);
    const catW = Math.floor((width - facW - totW) / Math.max(1, slice.length));
    out.push(para(`Table 1. Reported incidents by facility and category${parts > 1 ? ` (part ${i + 1} of ${parts})` : ''}`, { bold: true }));
    const head = [cell(['Facility'], { bold: true, shade: true }), ...slice.map((c) => cell([c.short], { bold: true, shade: true, right: true })), cell(['All incidents'], { bold: true, shade: true, right: true })];
    const rows = m.summary.rows.map((r) => [cell([r.facility, r.place]), ...slice.map((_, k) => cell([String(r.cells[off + k]!.count)], { right: true })), cell([String(r.total.count)], { right: true })]);
    rows.push([cell(['All facilities'], { bold: true }), ...slice.map((_, k) => cell([String(m.summary.totals[off + k]!.count)], { bold: true, right: true })), cell([String(m.summary.grandTotal.count)], { bold: true, right: true })]);
    out.push(table(head, rows, [facW, ...slice.map(() => catW), totW]));
    out.push(para(''));
  }
  out.push(para(`Total incidents: ${m.summary.grandTotal.count}. An incident reported in several categories appears in each of them.`));
  for (const c of cats) out.push(para(`${c.short}: ${c.label}${c.standard ? ` \u2014 ${c.standard}` : ''}`, { after: 40 }));
  return out;
}

const LOG_WIDTH: Record<string, number> = {
  rowId: 0.64, person: 1.0, aNumber: 1.1, birth: 0.8, facility: 1.2, date: 1.1, categories: 1.2, standard: 1.3, summary: 2.0, ownWords: 2.0, circumstances: 1.25, source: 1.15,
};

function logTable(m: ReportModel): (Paragraph | Table)[] {
  const cols = displayColumns(m);
  const total = cols.reduce((s, c) => s + (LOG_WIDTH[c.key] ?? 1), 0);
  const widths = cols.map((c) => Math.floor(((LOG_WIDTH[c.key] ?? 1) / total) * 9 * INCH));
  const head = cols.map((c) => cell([c.label], { bold: true, shade: true }));
  const rows = m.log.rows.map((r) => cols.map((c) => cell(c.lines(r))));
  return [para('Table 2. Incident log', { bold: true }), rows.length ? table(head, rows, widths) : para('No incident falls within this report.')];
}

export async function renderDocx(m: ReportModel): Promise<Uint8Array> {
  const c = m.caption;
  const page = (orientation: 'portrait' | 'landscape') => ({
    size: { width: 8.5 * INCH, height: 11 * INCH, orientation: orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
    margin: { top: INCH, bottom: INCH, left: INCH, right: INCH, footer: Math.round(0.5 * INCH) },
  });
  const captionTable = new Table({
    layout: TableLayoutType.FIXED,
    columnWidths: [Math.round(3.6 * INCH), Math.round(2.9 * INCH)],
    width: { size: 6.5 * INCH, type: WidthType.DXA },
    borders: { top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, bottom: BORDER, right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, insideHorizontal: BORDER, insideVertical: BORDER },
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: [c.caseName, ...c.parties].map((p) => para(p)) }),
          new TableCell({
            children: [c.caseNumber, c.judge ? `Hon. ${c.judge}` : '', c.magistrateJudge ? `Magistrate Judge ${c.magistrateJudge}` : '', c.classAction ? 'Class Action' : '']
              .filter(Boolean)
              .map((p) => para(p)),
          }),
        ],
      }),
    ],
  });
  const s = m.signature;
  const signature = s.attorney
    ? [
        `Dated: ${s.dated}`,
        'Respectfully submitted,',
        `/s/ ${s.attorney}`,
        `${s.attorney}${s.barNumber ? ` (${s.barNumber})` : ''}`,
        s.role,
        s.firm,
        ...s.address,
        s.email,
        s.phone,
      ]
        .filter(Boolean)
        .map((l) => new Paragraph({ indent: { left: Math.round(3.25 * INCH) }, children: [new TextRun({ text: l, size: SIZE })] }))
    : [];
  const profileLine = { public: 'Public docket version (redacted)', sealed: 'FILED UNDER SEAL \u2014 unredacted', internal: 'Internal working copy \u2014 not for filing' }[m.profile];
  const sections: ISectionOptions[] = [
    {
      properties: { page: page('portrait') },
      footers: { default: footer(m) },
      children: [
        ...Array.from({ length: 8 }, () => para('')),
        para(m.exhibitLabel.toUpperCase(), { bold: true, center: true, size: 28 * PT }),
        para(m.title, { center: true }),
        para(m.periodLabel, { center: true }),
        para(profileLine, { center: true, italics: true }),
        new Paragraph({ children: [new PageBreak()] }),
        para(c.court, { bold: true, center: true, after: 0 }),
        ...(c.division ? [para(c.division, { bold: true, center: true })] : []),
        captionTable,
        para(''),
        para(`${m.exhibitLabel}: ${m.title}`, { bold: true, center: true }),
        para(`Reporting period: ${m.periodLabel}`, { center: true }),
        ...summaryTables(m),
        new Paragraph({ children: [new PageBreak()] }),
        para('Method', { bold: true }),
        ...m.methodNote.map((p) => para(p)),
        para(`Generated by Attest ${m.appVersion} on ${longDate(m.generatedAt)} (${m.generatedAt}).`, { italics: true }),
        ...signature,
      ],
    },
    { properties: { page: page('landscape') }, footers: { default: footer(m) }, children: logTable(m) },
  ];
  const doc = new Document({
    creator: `Attest ${m.appVersion}`,
    title: `${m.exhibitLabel}: ${m.title}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE, sizeComplexScript: SIZE } } } },
    sections,
  });
  const buf = await Packer.toArrayBuffer(doc);
  return new Uint8Array(buf);
}
