/**
 * The bytes of a pdfkit document once it ends. Call it right after creating the document: pdfkit streams its
 * output as it goes, so the listeners must be in place before the first page is written.
 */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
