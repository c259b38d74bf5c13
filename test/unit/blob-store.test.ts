import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSystemBlobStore, sha256Hex } from '../../src/storage/blob-store.ts';

const withStore = async (run: (store: FileSystemBlobStore, dir: string) => Promise<void>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blobs-'));
  try {
    await run(new FileSystemBlobStore(dir), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('a blob is written under its SHA-256, once, with no temporary file left', () =>
  withStore(async (store, dir) => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    const sha256 = sha256Hex(bytes);
    assert.equal(await store.has(sha256), false);
    assert.deepEqual(await store.put(bytes), { sha256, size: bytes.byteLength });
    assert.deepEqual(await store.put(bytes), { sha256, size: bytes.byteLength });
    assert.equal(await store.has(sha256), true);
    const leaf = path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4));
    assert.deepEqual(readdirSync(leaf), [sha256]);
    assert.deepEqual(new Uint8Array(readFileSync(path.join(leaf, sha256))), bytes);
    assert.deepEqual(new Uint8Array(await store.get(sha256)), bytes);
  }));

test('many blobs at once, and a directory removed after the store made it is made again', () =>
  withStore(async (store, dir) => {
    const files = Array.from({ length: 50 }, (_, i) => new TextEncoder().encode(`<Invoice>${i}</Invoice>`));
    const put = await Promise.all(files.map((f) => store.put(f)));
    for (let i = 0; i < files.length; i++) assert.deepEqual(new Uint8Array(await store.get(put[i]!.sha256)), files[i]);
    rmSync(path.join(dir, put[0]!.sha256.slice(0, 2)), { recursive: true, force: true });
    assert.equal(await store.has(put[0]!.sha256), false);
    await store.put(files[0]!);
    assert.deepEqual(new Uint8Array(await store.get(put[0]!.sha256)), files[0]);
  }));

test('a pack holds many blobs in one file; each is read back at its place and checked against its SHA-256', () =>
  withStore(async (store, dir) => {
    const files = Array.from({ length: 30 }, (_, i) => new TextEncoder().encode(`<Invoice>${'x'.repeat(i * 37)}${i}</Invoice>`));
    const placed = await store.putPacked(files.map((bytes, i) => (i === 3 ? { bytes, sha256: sha256Hex(bytes) } : { bytes })));
    const packs = readdirSync(path.join(dir, 'packs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.equal(packs.length, 1, 'one file for the whole pack');
    assert.equal(readdirSync(dir).filter((d) => d !== 'packs').length, 0, 'no loose blob');
    assert.equal(new Set(placed.map((p) => p.at.pack)).size, 1);
    for (let i = 0; i < files.length; i++) {
      assert.equal(placed[i]!.sha256, sha256Hex(files[i]!));
      assert.equal(placed[i]!.size, files[i]!.byteLength);
      assert.deepEqual(new Uint8Array(await store.get(placed[i]!.sha256, placed[i]!.at)), files[i]);
    }
    // Another pack, another file; the first one is unchanged.
    const again = await store.putPacked(files.slice(0, 2).map((bytes) => ({ bytes })));
    assert.notEqual(again[0]!.at.pack, placed[0]!.at.pack);
    assert.deepEqual(new Uint8Array(await new FileSystemBlobStore(dir).get(placed[29]!.sha256, placed[29]!.at)), files[29]);
    // A wrong place is refused, never answered with another blob's bytes.
    await assert.rejects(store.get(placed[1]!.sha256, placed[2]!.at), /does not match/);
    await assert.rejects(store.get(placed[1]!.sha256, { ...placed[29]!.at, size: placed[29]!.at.size + 10 }), /ends before/);
    await assert.rejects(store.get(placed[1]!.sha256, { ...placed[1]!.at, pack: '../../etc/passwd' }), /invalid pack name/);
    // The packs' directories removed after the store made them: made again when a pack goes to one of them (packs
    // are spread by the first two characters of a random name, so until one does).
    const made = new Set([placed[0]!.at.pack.slice(0, 2), again[0]!.at.pack.slice(0, 2)]);
    rmSync(path.join(dir, 'packs'), { recursive: true, force: true });
    for (let tries = 0; ; tries++) {
      assert.ok(tries < 5000, 'a pack went to a directory made before');
      const after = await store.putPacked(files.slice(0, 2).map((bytes) => ({ bytes })));
      assert.deepEqual(new Uint8Array(await store.get(after[1]!.sha256, after[1]!.at)), files[1]);
      if (made.has(after[0]!.at.pack.slice(0, 2))) break;
    }
  }));
