import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, zipSync, strToU8, Zip, ZipDeflate } from 'fflate';
import { pack } from 'tar-stream';
import { randomBytes } from 'node:crypto';
import { ARCHIVE_LIMITS, readArchive, zipFilesOnDemand, type ArchiveLimits } from '../../src/invoices/batch-archive.ts';

async function tarGz(entries: Array<{ name: string; body?: Uint8Array; type?: 'file' | 'symlink' | 'directory'; linkname?: string }>) {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  for (const e of entries) {
    if (e.type === 'symlink' || e.type === 'directory') p.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else p.entry({ name: e.name }, Buffer.from(e.body ?? new Uint8Array()));
  }
  p.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}
const refused = async (bytes: Uint8Array, code: string, limits?: ArchiveLimits) =>
  assert.rejects(readArchive(bytes, limits), (e: any) => e.code === code && typeof e.userMessage === 'string' && e.userMessage.length > 0);

describe('reading a batch archive', () => {
  test('zip and tar.gz give their files in order; folders and archivers’ litter are skipped', async () => {
    const zip = zipSync({ 'lot/a.xml': strToU8('<a/>'), 'lot/b.pdf': [strToU8('%PDF-1.7 b'), { level: 0 }], 'lot/': new Uint8Array(), '__MACOSX/lot/._a.xml': strToU8('x'), 'lot/.DS_Store': strToU8('x') });
    const z = await readArchive(zip);
    assert.equal(z.kind, 'ZIP');
    assert.deepEqual(z.entries.map((e) => [e.path, e.filename, Buffer.from(e.bytes).toString()]), [['lot/a.xml', 'a.xml', '<a/>'], ['lot/b.pdf', 'b.pdf', '%PDF-1.7 b']]);
    const t = await readArchive(await tarGz([{ name: 'dir', type: 'directory' }, { name: 'dir/x.xml', body: strToU8('<x/>') }, { name: 'y.xml', body: strToU8('<y/>') }]));
    assert.equal(t.kind, 'TAR_GZ');
    assert.deepEqual(t.entries.map((e) => [e.filename, Buffer.from(e.bytes).toString()]), [['x.xml', '<x/>'], ['y.xml', '<y/>']]);
  });

  test('path tricks refuse the whole archive: .., absolute paths, drive letters, backslashes, links', async () => {
    await refused(zipSync({ '../evil.xml': strToU8('<a/>') }), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(zipSync({ 'ok/../../evil.xml': strToU8('<a/>') }), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(zipSync({ '/etc/evil.xml': strToU8('<a/>') }), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(zipSync({ 'C:/evil.xml': strToU8('<a/>') }), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(zipSync({ 'a\\..\\evil.xml': strToU8('<a/>') }), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(await tarGz([{ name: '../x.xml', body: strToU8('<x/>') }]), 'ARCHIVE_PATH_FORBIDDEN');
    await refused(await tarGz([{ name: 'lien.xml', type: 'symlink', linkname: '/etc/passwd' }]), 'ARCHIVE_PATH_FORBIDDEN');
  });

  test('bombs are stopped while decompressing: entry size, total size, ratio, number of entries', async () => {
    const zeros = new Uint8Array(11 * 1024 * 1024);
    await refused(zipSync({ 'bombe.xml': zeros }), 'ARCHIVE_ENTRY_TOO_LARGE');
    const big = { ...ARCHIVE_LIMITS, maxEntryBytes: 100 * 1024 * 1024 };
    await refused(zipSync({ 'bombe.xml': new Uint8Array(5 * 1024 * 1024) }), 'ARCHIVE_TOO_EXPANDED', big);
    await refused(await tarGz([{ name: 'bombe.xml', body: new Uint8Array(5 * 1024 * 1024) }]), 'ARCHIVE_TOO_EXPANDED', big);
    await refused(zipSync({ 'a.xml': new Uint8Array(3000).fill(65), 'b.xml': new Uint8Array(3000).fill(66) }), 'ARCHIVE_TOO_EXPANDED', { ...ARCHIVE_LIMITS, maxTotalBytes: 4000 });
    await refused(zipSync(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}.xml`, strToU8('<a/>')]))), 'ARCHIVE_TOO_MANY_ENTRIES', { ...ARCHIVE_LIMITS, maxEntries: 3 });
    await refused(new Uint8Array(ARCHIVE_LIMITS.maxArchiveBytes + 1), 'ARCHIVE_TOO_LARGE');
  });

  test('what is not an archive, an empty one and a broken one are refused with their code', async () => {
    await refused(strToU8('<Invoice/>'), 'ARCHIVE_TYPE_UNSUPPORTED');
    await refused(zipSync({ 'lot/': new Uint8Array() }), 'ARCHIVE_EMPTY');
    const zip = zipSync({ 'a.xml': new Uint8Array(randomBytes(200_000)) });
    assert.ok(zip.byteLength > 100_000);
    await refused(zip.subarray(0, 5000), 'ARCHIVE_MALFORMED');
    // An entry whose header lies about its inflated size (smaller, then larger): refused as incomplete, whatever
    // the output buffer made from that size.
    for (const lie of [-1000, 1000]) {
      const text = strToU8('<Invoice>' + 'x'.repeat(50_000) + '</Invoice>');
      const lying = zipSync({ 'a.xml': text, 'b.xml': strToU8('<b/>') });
      const at = 22; // uncompressed size in the first local header
      const view = new DataView(lying.buffer, lying.byteOffset);
      view.setUint32(at, text.byteLength + lie, true);
      await refused(lying, 'ARCHIVE_MALFORMED');
    }
    await refused(gzipSync(strToU8('pas une archive tar, juste du texte compressé qui ne fait pas 512 octets')), 'ARCHIVE_MALFORMED');
  });

  test('a zip read on demand gives the files of readArchive, in the same order, each inflated when asked for', async () => {
    const big = new Uint8Array(randomBytes(1_500_000)); // spans the pieces the archive is fed by
    const files = {
      'lot/a.xml': strToU8('<a>' + 'x'.repeat(40_000) + '</a>'),
      'lot/b.pdf': [strToU8('%PDF-1.7 b'), { level: 0 }] as [Uint8Array, { level: 0 }],
      'lot/': new Uint8Array(),
      '__MACOSX/lot/._a.xml': strToU8('x'),
      'lot/vide.xml': new Uint8Array(),
      'lot/gros.bin': big,
      'lot/c.xml': strToU8('<c/>'),
    };
    const zip = zipSync(files);
    const whole = (await readArchive(zip)).entries;
    const onDemand = zipFilesOnDemand(zip, ARCHIVE_LIMITS)!;
    assert.equal(onDemand.count, whole.length);
    assert.deepEqual(Array.from({ length: onDemand.count }, (_, i) => onDemand.path(i)), whole.map((e) => e.path));
    for (const i of [3, 0, 4, 1, 2]) assert.deepEqual({ ...onDemand.entry(i), bytes: Buffer.from(onDemand.entry(i).bytes) }, { ...whole[i]!, bytes: Buffer.from(whole[i]!.bytes) });
    // an entry that inflates to more, or less, than it declares is refused when asked for, alone
    const text = strToU8('<Invoice>' + 'x'.repeat(50_000) + '</Invoice>');
    for (const declared of [text.byteLength - 10, text.byteLength + 10]) {
      const lying = zipSync({ 'a.xml': text, 'b.xml': strToU8('<b/>') });
      new DataView(lying.buffer, lying.byteOffset).setUint32(22, declared, true);
      const files = zipFilesOnDemand(lying, ARCHIVE_LIMITS)!;
      assert.throws(() => files.entry(0), (e: any) => e.code === 'ARCHIVE_MALFORMED' && /taille qu'il déclare/.test(e.userMessage));
      assert.equal(Buffer.from(files.entry(1).bytes).toString(), '<b/>');
    }
    assert.throws(() => zipFilesOnDemand(zip.subarray(0, 5000), ARCHIVE_LIMITS), (e: any) => e.code === 'ARCHIVE_MALFORMED');
  });

  test('a zip read on demand is refused whole, before anything is inflated, on what its entries declare', () => {
    const refusedAtOnce = (zip: Uint8Array, limits: ArchiveLimits, code: string) =>
      assert.throws(() => zipFilesOnDemand(zip, limits), (e: any) => e.code === code, code);
    // a bomb: 50 MB of zeros in about 50 KB (each file may take 100 MB: only the expansion refuses it)
    refusedAtOnce(zipSync({ 'bombe.xml': new Uint8Array(50 * 1024 * 1024) }), { ...ARCHIVE_LIMITS, maxEntryBytes: 100 * 1024 * 1024 }, 'ARCHIVE_TOO_EXPANDED');
    refusedAtOnce(zipSync({ 'a.xml': new Uint8Array(randomBytes(3 * 1024 * 1024)) }), { ...ARCHIVE_LIMITS, maxEntryBytes: 2 * 1024 * 1024 }, 'ARCHIVE_ENTRY_TOO_LARGE');
    const two = zipSync({ 'a.xml': new Uint8Array(randomBytes(600_000)), 'b.xml': new Uint8Array(randomBytes(600_000)) });
    refusedAtOnce(two, { ...ARCHIVE_LIMITS, maxTotalBytes: 1_000_000 }, 'ARCHIVE_TOO_EXPANDED');
    refusedAtOnce(two, { ...ARCHIVE_LIMITS, maxEntries: 1 }, 'ARCHIVE_TOO_MANY_ENTRIES');
    refusedAtOnce(two, { ...ARCHIVE_LIMITS, maxArchiveBytes: 1_000_000 }, 'ARCHIVE_TOO_LARGE');
    refusedAtOnce(zipSync({ '../a.xml': strToU8('<a/>') }), ARCHIVE_LIMITS, 'ARCHIVE_PATH_FORBIDDEN');
    assert.ok(zipFilesOnDemand(two, ARCHIVE_LIMITS));
  });

  test('a zip whose entries do not declare their sizes (streaming archivers) is left to readArchive', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((_err, data) => chunks.push(data));
    const entry = new ZipDeflate('a.xml');
    zip.add(entry);
    entry.push(strToU8('<a>' + 'x'.repeat(1000) + '</a>'), true);
    zip.end();
    const streamed = Buffer.concat(chunks);
    assert.equal(zipFilesOnDemand(streamed, ARCHIVE_LIMITS), null);
    assert.equal((await readArchive(streamed)).entries.length, 1);
  });
});
