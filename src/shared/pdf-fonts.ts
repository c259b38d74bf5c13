import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
const parsed = new Map<string, PDFKit.Mixins.PDFFontSource>();

/**
 * DejaVu Sans (regular, bold) parsed once per process. pdfkit otherwise reads and parses the TTF file (and its
 * shaping tables) for every document, which was most of the cost of a deposit certificate: a flow of thousands
 * of invoices renders one per invoice. pdfkit accepts an already parsed font (anything with `layout`), and only
 * reads it; each document still embeds its own subset.
 */
export function dejaVu(style: keyof typeof FILES): PDFKit.Mixins.PDFFontSource {
  let font = parsed.get(style);
  if (!font) {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.font(path.join(fontDir, FILES[style]));
    font = (probe as unknown as { _font: { font: PDFKit.Mixins.PDFFontSource } })._font.font;
    parsed.set(style, font);
  }
  return font;
}
