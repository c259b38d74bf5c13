import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream } from '@cantoo/pdf-lib';

/**
 * Test helpers that look inside a generated PDF without external tools (no pdftotext here): the text of each
 * page, decoded from the content streams through each font's ToUnicode CMap, and the raw XMP packet.
 */
function streamText(s: PDFStream): string {
  const bytes = s instanceof PDFRawStream ? decodePDFRawStream(s).decode() : s.getContents();
  return Buffer.from(bytes).toString('latin1');
}

function hexToUnicode(hex: string): string {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
}

/** ToUnicode CMap (bfchar and bfrange, as pdfkit writes them) → glyph id → text. */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1], 16), hexToUnicode(m[2]));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const start = parseInt(m[1], 16);
      const end = parseInt(m[2], 16);
      if (m[3].startsWith('[')) {
        [...m[3].matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((v, i) => map.set(start + i, hexToUnicode(v[1].replace(/\s+/g, ''))));
      } else {
        const base = parseInt(m[3].slice(1, -1), 16);
        for (let c = start; c <= end; c++) map.set(c, String.fromCharCode(base + c - start));
      }
    }
  }
  return map;
}

export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const fonts = new Map<string, Map<number, string>>();
    const fontDict = page.node.Resources()?.lookup(PDFName.of('Font'));
    if (fontDict instanceof PDFDict) {
      for (const [name, ref] of fontDict.entries()) {
        const font = doc.context.lookup(ref as PDFRef) as PDFDict;
        const toUnicode = font.lookup(PDFName.of('ToUnicode'));
        fonts.set(name.asString(), toUnicode instanceof PDFStream ? parseCMap(streamText(toUnicode)) : new Map());
      }
    }
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r) as PDFStream) : contents ? [contents] : [];
    const content = streams.map(streamText).join('\n');
    let current = new Map<number, string>();
    const lines: string[] = [];
    for (const m of content.matchAll(/(\/[A-Za-z0-9]+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1]) current = fonts.get(m[1]) ?? new Map();
      else {
        const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [m[3]];
        let line = '';
        for (const hex of hexes) for (let i = 0; i + 4 <= hex.length; i += 4) line += current.get(parseInt(hex.slice(i, i + 4), 16)) ?? '?';
        lines.push(line);
      }
    }
    return lines.join('\n');
  });
}

export async function pdfXmp(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const metadata = doc.catalog.lookup(PDFName.of('Metadata'));
  return metadata instanceof PDFStream ? Buffer.from(streamText(metadata), 'latin1').toString('utf8') : '';
}
