import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
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
import { captionRightLines } from './caption';
import { displayColumns } from './columns';
import { footerText, LOG_WIDTH, legendCategories, SUMMARY_CHUNK } from './html';
import { longDate, type ReportModel } from './model';

// The same exhibit as an editable Word document built on Word's own styles, so restyling it in Word
// works: Title (the slip sheet), Heading 1 (the exhibit's title), Heading 2 (Method, legends),
// Caption (table titles) and one table style, "Exhibit Table" (borders, shaded header row). 14-point
// Times New Roman (Arabic in the complex-script font), 1-inch margins, "Exhibit A — page N of M"
// (PAGE and NUMPAGES fields) in every footer, the incident log in a landscape section with its
// header row repeated on each page, the signature block last.
//
// The log table is written as WordprocessingML directly into the package docx makes (one string
// per row): built as docx objects, a 2,000-row log took seconds.

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

const TABLE_STYLE = 'ExhibitTable';

function table(head: TableCell[], rows: TableCell[][], widths: number[]): Table {
  return new Table({
    style: TABLE_STYLE,
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
    const facW = Math.round(width * 0.2);
    const totW = Math.round(width * 0.14);
    const catW = Math.floor((width - facW - totW) / Math.max(1, slice.length));
    out.push(captionPara(`Table 1. Reported incidents by facility and category${parts > 1 ? ` (part ${i + 1} of ${parts})` : ''}`));
    const head = [cell(['Facility'], { bold: true, shade: true }), ...slice.map((c) => cell([c.short], { bold: true, shade: true, right: true })), cell(['All incidents'], { bold: true, shade: true, right: true })];
    const rows = m.summary.rows.map((r) => [cell([r.short]), ...slice.map((_, k) => cell([String(r.cells[off + k]!.count)], { right: true })), cell([String(r.total.count)], { right: true })]);
    rows.push([cell(['All facilities'], { bold: true }), ...slice.map((_, k) => cell([String(m.summary.totals[off + k]!.count)], { bold: true, right: true })), cell([String(m.summary.grandTotal.count)], { bold: true, right: true })]);
    out.push(table(head, rows, [facW, ...slice.map(() => catW), totW]));
    out.push(para(''));
  }
  out.push(para(`Total incidents: ${m.summary.grandTotal.count}. An incident reported in several categories appears in each of them.`));
  out.push(heading2('Facilities'));
  for (const f of m.facilities) out.push(para(`${f.short}: ${f.name}, ${f.place}`, { after: 40 }));
  out.push(heading2('Categories'));
  for (const c of legendCategories(m)) out.push(para(`${c.short}: ${c.label}${c.standard ? ` \u2014 ${c.standard}` : ''}`, { after: 40 }));
  return out;
}

function heading2(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(text)] });
}

function captionPara(text: string): Paragraph {
  return new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun(text)] });
}

/** Marks where the log table goes; replaced by the table's XML in the finished package. */
const LOG_MARK = 'ATTEST-LOG-TABLE-6f1c2e';

const xmlEsc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
// Characters XML 1.0 does not allow (control characters other than tab, newline, return).
// eslint-disable-next-line no-control-regex
const BAD_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function runXml(text: string, rtl: boolean, bold: boolean, br: boolean): string {
  const rPr = bold || rtl ? `<w:rPr>${bold ? '<w:b/><w:bCs/>' : ''}${rtl ? '<w:rtl/>' : ''}</w:rPr>` : '';
  return `<w:r>${rPr}${br ? '<w:br/>' : ''}<w:t xml:space="preserve">${xmlEsc(text.replace(BAD_XML, ''))}</w:t></w:r>`;
}

const isRtl = (l: string) => ARABIC.test(l.replace(/[^\p{L}]/gu, '').charAt(0));

function cellXml(lines: string[], width: number, bold = false): string {
  const all = lines.length ? lines : [''];
  // One paragraph, lines joined by breaks, unless a line is right-to-left (its own bidi paragraph).
  const body = all.some(isRtl)
    ? all.map((l) => `<w:p>${isRtl(l) ? '<w:pPr><w:bidi/></w:pPr>' : ''}${runXml(l, isRtl(l), bold, false)}</w:p>`).join('')
    : `<w:p>${all.map((l, i) => runXml(l, false, bold, i > 0)).join('')}</w:p>`;
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${body}</w:tc>`;
}

/** The incident log as a <w:tbl>: the header row repeated on every page, no row split across pages. */
function logTableXml(m: ReportModel): string {
  const cols = displayColumns(m);
  const total = cols.reduce((s, c) => s + (LOG_WIDTH[c.key] ?? 1), 0);
  const widths = cols.map((c) => Math.floor(((LOG_WIDTH[c.key] ?? 1) / total) * 9 * INCH));
  const sum = widths.reduce((a, b) => a + b, 0);
  const head = `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>${cols.map((c, i) => cellXml([c.label], widths[i]!, true)).join('')}</w:tr>`;
  const rows: string[] = [];
  for (const r of m.log.rows) rows.push(`<w:tr><w:trPr><w:cantSplit/></w:trPr>${cols.map((c, i) => cellXml(c.lines(r), widths[i]!)).join('')}</w:tr>`);
  return `<w:tbl><w:tblPr><w:tblStyle w:val="${TABLE_STYLE}"/><w:tblW w:w="${sum}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${head}${rows.join('')}</w:tbl>`;
}

function logTable(m: ReportModel): Paragraph[] {
  return [captionPara('Table 2. Incident log'), m.log.rows.length ? new Paragraph({ children: [new TextRun(LOG_MARK)] }) : para('No incident falls within this report.')];
}

/** The table style every table uses: single black borders, tight cell margins, a bold shaded header row. */
const TABLE_STYLE_XML = `<w:style w:type="table" w:customStyle="1" w:styleId="${TABLE_STYLE}"><w:name w:val="Exhibit Table"/><w:uiPriority w:val="39"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:tblPr><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('')}</w:tblBorders><w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="60" w:type="dxa"/><w:bottom w:w="20" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/></w:tcPr></w:tblStylePr></w:style>`;

/** The package docx made, with the table style added and the log table in place of its mark. */
function finishPackage(buf: Uint8Array, m: ReportModel): Uint8Array {
  const files = unzipSync(buf);
  const styles = strFromU8(files['word/styles.xml']!);
  files['word/styles.xml'] = strToU8(styles.replace('</w:styles>', `${TABLE_STYLE_XML}</w:styles>`));
  if (m.log.rows.length) {
    const doc = strFromU8(files['word/document.xml']!);
    const at = doc.indexOf(LOG_MARK);
    if (at < 0) throw new Error('docx: the log table mark is missing');
    // The mark's whole paragraph (<w:p> or <w:p …>) gives way to the table.
    const start = Math.max(doc.lastIndexOf('<w:p>', at), doc.lastIndexOf('<w:p ', at));
    const end = doc.indexOf('</w:p>', at) + '</w:p>'.length;
    files['word/document.xml'] = strToU8(doc.slice(0, start) + logTableXml(m) + doc.slice(end));
  }
  return zipSync(files, { level: 6, mtime: new Date(m.generatedAt) });
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
            children: captionRightLines(c).map((p) => para(p)),
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
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(m.exhibitLabel.toUpperCase())] }),
        para(m.title, { center: true }),
        para(m.periodLabel, { center: true }),
        para(profileLine, { center: true, italics: true }),
        new Paragraph({ children: [new PageBreak()] }),
        para(c.court, { bold: true, center: true, after: 0 }),
        ...(c.division ? [para(c.division, { bold: true, center: true })] : []),
        captionTable,
        para(''),
        new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${m.exhibitLabel}: ${m.title}`)] }),
        para(`Reporting period: ${m.periodLabel}`, { center: true }),
        ...summaryTables(m),
        new Paragraph({ children: [new PageBreak()] }),
        heading2('Method'),
        ...m.methodNote.map((p) => para(p)),
        para(`Generated by Attest ${m.appVersion} on ${longDate(m.generatedAt)} (${m.generatedAt}).`, { italics: true }),
      ],
    },
    // The log in a landscape section, the signature block after it, last.
    { properties: { page: page('landscape') }, footers: { default: footer(m) }, children: [...logTable(m), para(''), ...signature] },
  ];
  const doc = new Document({
    creator: `Attest ${m.appVersion}`,
    title: `${m.exhibitLabel}: ${m.title}`,
    styles: {
      default: {
        document: { run: { font: FONT, size: SIZE, sizeComplexScript: SIZE } },
        title: { run: { font: FONT, size: 28 * PT, bold: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 240 } } },
        heading1: { run: { font: FONT, size: SIZE, bold: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 120 }, keepNext: true } },
        heading2: { run: { font: FONT, size: SIZE, bold: true, color: '000000' }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
      },
      paragraphStyles: [{ id: 'Caption', name: 'caption', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: FONT, size: SIZE, bold: true, italics: false, color: '000000' }, paragraph: { spacing: { before: 120, after: 120 }, keepNext: true } }],
    },
    sections,
  });
  const buf = await Packer.toArrayBuffer(doc);
  return finishPackage(new Uint8Array(buf), m);
}
