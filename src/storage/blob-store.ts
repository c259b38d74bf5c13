import { createHash, randomBytes } from 'node:crypto';
import { close, fsync, mkdir, open, read, rename, stat, write } from 'node:fs';
import { readdir, readFile, stat as statOf, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Where a packed blob lies: the pack's name, its first byte's offset and its size. */
export interface PackedAt {
  pack: string;
  offset: number;
  size: number;
}

/** Where document bytes live, addressed by their SHA-256. An S3-compatible store can implement it later. */
export interface BlobStore {
  /** `sha256`: the caller's digest of these very bytes, when it has just made it (a flow of 150 MB is not hashed twice). */
  put(bytes: Uint8Array, sha256?: string): Promise<{ sha256: string; size: number }>;
  /**
   * Many small files at once (a chunk of a flow) as one pack, on disk before this resolves: one file and one fsync
   * instead of one per file. Each file is then read with its `at`, which the caller keeps (the blob's row).
   */
  putPacked(files: Array<{ bytes: Uint8Array; sha256?: string }>): Promise<Array<{ sha256: string; size: number; at: PackedAt }>>;
  /** `at`: where the blob was packed; the bytes read there are checked against `sha256`. */
  get(sha256: string, at?: PackedAt | null): Promise<Buffer>;
  /** Whether the blob is kept as its own file (a packed blob is known by its row only). */
  has(sha256: string): Promise<boolean>;
  /** Every file of the store (sweepUnreferencedFiles). */
  storedFiles(): AsyncGenerator<StoredFile>;
  remove(file: StoredFile): Promise<void>;
}

/** A pack's bytes are addressed by offsets kept in an `integer` column. */
const PACK_MAX_BYTES = 2 ** 31 - 1;

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Files under `<root>/ab/cd/<sha256>`, written to a temporary name, fsynced, renamed, then the directory fsynced.
 * (With fs's callbacks rather than its promises and file handles, each directory made once per process, temporary
 * names from a counter: a flow stores a file per invoice, and this was most of the JavaScript of storing it.)
 */
export class FileSystemBlobStore implements BlobStore {
  private readonly directories = new Set<string>();
  private readonly temporaryPrefix = `.${randomBytes(6).toString('hex')}`;
  private temporaries = 0;

  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('invalid sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array, known?: string) {
    const sha256 = known ?? sha256Hex(bytes);
    const target = this.pathOf(sha256);
    if (!(await exists(target))) {
      const directory = path.dirname(target);
      const temporary = `${target}${this.temporaryPrefix}${(this.temporaries++).toString(36)}.tmp`;
      await this.writeIn(directory, temporary, bytes);
      await done<void>((cb) => rename(temporary, target, cb));
      // The new name is on disk once its directory is: without this, a crash could leave the bytes under the
      // temporary name only, with the document's row committed.
      await syncDirectory(directory);
    }
    return { sha256, size: bytes.byteLength };
  }

  /** A new file in `directory`, synced; the directory made first if this process has not made it yet. */
  private async writeIn(directory: string, file: string, bytes: Uint8Array) {
    if (!this.directories.has(directory)) await this.makeDirectory(directory);
    try {
      await writeSynced(file, bytes);
    } catch (err) {
      // The directory was removed since this process made it: made again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await this.makeDirectory(directory);
      await writeSynced(file, bytes);
    }
  }

  private async makeDirectory(directory: string) {
    const created = await done<string | undefined>((cb) => mkdir(directory, { recursive: true }, cb));
    // Directories made now (cd/, or ab/ and cd/): their names are on disk once their parents are.
    if (created) await Promise.all((created === directory ? [path.dirname(directory)] : [this.root, path.dirname(directory)]).map(syncDirectory));
    this.directories.add(directory); // at most 256 × 256
  }

  async putPacked(files: Array<{ bytes: Uint8Array; sha256?: string }>) {
    let offset = 0;
    const pack = `${randomBytes(12).toString('hex')}.pack`;
    const placed = files.map((f) => {
      const at = { pack, offset, size: f.bytes.byteLength };
      offset += f.bytes.byteLength;
      return { sha256: f.sha256 ?? sha256Hex(f.bytes), size: f.bytes.byteLength, at };
    });
    if (offset > PACK_MAX_BYTES) throw new Error('pack too large');
    const target = this.packPath(pack);
    const directory = path.dirname(target);
    // A new name ('wx'), synced before the caller's transaction commits the rows that point into it; a crash before
    // that leaves a pack that no row names.
    await this.writeIn(directory, target, Buffer.concat(files.map((f) => f.bytes), offset));
    await syncDirectory(directory);
    return placed;
  }

  private packPath(pack: string): string {
    if (!PACK_NAME.test(pack)) throw new Error('invalid pack name');
    return path.join(this.root, 'packs', pack.slice(0, 2), pack);
  }

  async get(sha256: string, at?: PackedAt | null) {
    if (!at) return readFile(this.pathOf(sha256));
    const bytes = await readAt(this.packPath(at.pack), at.offset, at.size);
    if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} does not match its bytes in pack ${at.pack}`);
    return bytes;
  }

  async has(sha256: string) {
    return exists(this.pathOf(sha256));
  }

  /**
   * Every file of the store, with its last modification: blobs kept as their own file (`blob`, named by their
   * SHA-256), packs (`pack`) and temporary files a crash left behind (`temporary`). Anything else is not listed.
   */
  async *storedFiles(): AsyncGenerator<StoredFile> {
    for (const first of await entriesOf(this.root)) {
      if (first === 'packs') {
        for (const shard of await entriesOf(path.join(this.root, 'packs')))
          for (const name of await entriesOf(path.join(this.root, 'packs', shard))) {
            const file = await fileOf(path.join(this.root, 'packs', shard, name));
            if (file && PACK_NAME.test(name) && shard === name.slice(0, 2)) yield { kind: 'pack', name, ...file };
            else if (file && name.endsWith('.tmp')) yield { kind: 'temporary', name, ...file };
          }
        continue;
      }
      if (!/^[0-9a-f]{2}$/.test(first)) continue;
      for (const second of await entriesOf(path.join(this.root, first)))
        for (const name of await entriesOf(path.join(this.root, first, second))) {
          const file = await fileOf(path.join(this.root, first, second, name));
          if (file && SHA256.test(name) && name.startsWith(first + second)) yield { kind: 'blob', name, ...file };
          else if (file && name.endsWith('.tmp')) yield { kind: 'temporary', name, ...file };
        }
    }
  }

  /** Removes a file that storedFiles listed (already gone: nothing to do). */
  async remove(file: StoredFile) {
    await unlink(file.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

export interface StoredFile {
  kind: 'blob' | 'pack' | 'temporary';
  name: string;
  path: string;
  size: number;
  modifiedAt: Date;
}

const SHA256 = /^[0-9a-f]{64}$/;
const PACK_NAME = /^[0-9a-f]{24}\.pack$/;

const entriesOf = (directory: string) => readdir(directory).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));

async function fileOf(file: string) {
  const st = await statOf(file).catch(() => null);
  return st?.isFile() ? { path: file, size: st.size, modifiedAt: st.mtime } : null;
}

const done = <T,>(call: (cb: (err: NodeJS.ErrnoException | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value as T))));

const exists = (file: string) => new Promise<boolean>((resolve) => stat(file, (err) => resolve(!err)));

async function syncDirectory(directory: string) {
  const fd = await done<number>((cb) => open(directory, 'r', cb));
  try {
    await done<void>((cb) => fsync(fd, cb));
  } finally {
    await done<void>((cb) => close(fd, cb));
  }
}

async function readAt(file: string, offset: number, size: number) {
  const fd = await done<number>((cb) => open(file, 'r', cb));
  try {
    const bytes = Buffer.allocUnsafe(size);
    for (let got = 0; got < size; ) {
      const n = await done<number>((cb) => read(fd, bytes, got, size - got, offset + got, cb));
      if (n === 0) throw new Error(`pack ${path.basename(file)} ends before its blob`);
      got += n;
    }
    return bytes;
  } finally {
    await done<void>((cb) => close(fd, cb));
  }
}

/** A new file with these bytes, on disk (fsync) before this resolves; `wx`: never an existing file. */
async function writeSynced(file: string, bytes: Uint8Array) {
  const fd = await done<number>((cb) => open(file, 'wx', cb));
  try {
    for (let at = 0; at < bytes.byteLength; ) at += await done<number>((cb) => write(fd, bytes, at, bytes.byteLength - at, null, cb));
    await done<void>((cb) => fsync(fd, cb));
  } finally {
    await done<void>((cb) => close(fd, cb));
  }
}
