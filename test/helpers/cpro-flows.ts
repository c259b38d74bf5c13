import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { pack } from 'tar-stream';

/** Archives as integrators build them: zip (fflate) or tar.gz (tar-stream + gzip). */
export const zipOf = (files: Array<{ name: string; bytes: Uint8Array }>) => Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])), { level: 1 }));

export async function tarGzOf(files: Array<{ name: string; bytes: Uint8Array }>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const f of files) p.entry({ name: f.name, size: f.bytes.byteLength }, Buffer.from(f.bytes));
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
