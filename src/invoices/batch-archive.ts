import { inflateRawSync } from 'node:zlib';
import { Gunzip, Inflate, Unzip, type UnzipFile } from 'fflate';
import { extract } from 'tar-stream';

/**
 * Reading a batch of invoices (zip or tar.gz) from untrusted bytes, bounded against archive bombs: the archive
 * size, the number of entries, each entry's size, the total expanded size and the expansion ratio are limited
 * while decompressing (declared sizes are not trusted), and names that try to leave the archive (.., absolute
 * paths, drive letters, backslashes, control characters) refuse the whole archive. Pure: bytes in, entries out.
 */
export interface ArchiveLimits {
  maxArchiveBytes: number;
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Expanded size / archive size, over the whole archive and per compressed entry. */
  maxRatio: number;
}
export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 50 * 1024 * 1024,
  maxEntries: 200,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 120 * 1024 * 1024,
  maxRatio: 100,
};

export type ArchiveErrorCode =
  | 'ARCHIVE_TOO_LARGE' | 'ARCHIVE_TYPE_UNSUPPORTED' | 'ARCHIVE_MALFORMED' | 'ARCHIVE_TOO_MANY_ENTRIES'
  | 'ARCHIVE_PATH_FORBIDDEN' | 'ARCHIVE_ENTRY_TOO_LARGE' | 'ARCHIVE_TOO_EXPANDED' | 'ARCHIVE_EMPTY';

export class ArchiveError extends Error {
  constructor(readonly code: ArchiveErrorCode, readonly userMessage: string) {
    super(`${code}: ${userMessage}`);
  }
}

export interface ArchiveEntry {
  /** The path inside the archive, as written. */
  path: string;
  /** The file's own name (last segment). */
  filename: string;
  bytes: Uint8Array;
}

export type ArchiveKind = 'ZIP' | 'TAR_GZ';
export function archiveKindOf(bytes: Uint8Array): ArchiveKind | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05)) return 'ZIP';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'TAR_GZ';
  return null;
}

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;

/** Why a name may not be used, or null. Names are never used as paths, but an archive that tries is refused. */
export function pathProblem(name: string): string | null {
  if (!name) return 'nom vide';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'caractère de contrôle';
  if (name.includes('\\')) return 'barre oblique inverse';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'chemin absolu';
  if (name.split('/').some((s) => s === '..')) return 'remontée de répertoire (..)';
  return null;
}
/** Folders and the litter of archivers (macOS resource forks, dot files) are not invoices. */
const ignored = (name: string) => name.endsWith('/') || name.startsWith('__MACOSX/') || (name.split('/').pop() ?? '').startsWith('.');

class Budget {
  entries = 0;
  total = 0;
  constructor(readonly limits: ArchiveLimits, readonly archiveBytes: number) {}
  entry(name: string) {
    const problem = pathProblem(name);
    if (problem) throw new ArchiveError('ARCHIVE_PATH_FORBIDDEN', `L'archive contient un nom de fichier interdit (« ${name.slice(0, 80)} » : ${problem}).`);
    if (++this.entries > this.limits.maxEntries)
      throw new ArchiveError('ARCHIVE_TOO_MANY_ENTRIES', `L'archive contient plus de ${this.limits.maxEntries} fichiers.`);
  }
  grow(name: string, entrySoFar: number, compressedSize: number | undefined, add: number) {
    this.total += add;
    if (entrySoFar > this.limits.maxEntryBytes) throw new ArchiveError('ARCHIVE_ENTRY_TOO_LARGE', `Le fichier « ${name.slice(0, 80)} » de l'archive dépasse ${MB(this.limits.maxEntryBytes)} une fois décompressé.`);
    if (this.total > this.limits.maxTotalBytes) throw new ArchiveError('ARCHIVE_TOO_EXPANDED', `L'archive dépasse ${MB(this.limits.maxTotalBytes)} une fois décompressée.`);
    const ratioOf = (out: number, packed: number) => out > 1024 * 1024 && out / Math.max(packed, 1) > this.limits.maxRatio;
    if (ratioOf(this.total, this.archiveBytes) || (compressedSize !== undefined && ratioOf(entrySoFar, compressedSize)))
      throw new ArchiveError('ARCHIVE_TOO_EXPANDED', `L'archive se décompresse de façon anormale (plus de ${this.limits.maxRatio} fois sa taille) : elle est refusée.`);
  }
}

/** The archive is fed by pieces, so that a refusal stops the reading early. */
const CHUNK = 1024 * 1024;

/** A whole zip ends with its central directory (end record PK\x05\x06 in the last 64 KB). */
function hasEndRecord(bytes: Uint8Array): boolean {
  for (let i = bytes.byteLength - 22; i >= Math.max(0, bytes.byteLength - 65_557); i--)
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  return false;
}

/**
 * Deflated zip entries inflated by zlib (native: several times cheaper than fflate's inflate in JavaScript; a flow
 * of thousands of files is unzipped once per integration). The output is capped below the size where the budget
 * could refuse the entry (its size, its expansion, the archive's total); an entry that reaches the cap is inflated
 * again by fflate, chunk by chunk as before, so that a bomb is stopped and refused exactly as it was.
 */
function nativeInflate(budget: Budget) {
  return class NativeInflate {
    static compression = 8;
    ondata!: (err: unknown, data: Uint8Array | null, final: boolean) => void;
    private parts: Uint8Array[] = [];
    /** The size the entry says it has once inflated (its header's; not trusted, only an allocation hint). */
    declared: number | undefined;
    constructor(_filename: string, _size?: number, originalSize?: number) {
      this.declared = originalSize;
    }
    push(chunk: Uint8Array, final: boolean) {
      this.parts.push(chunk);
      if (!final) return;
      // Most entries arrive in one part (a view of the archive): inflated from it, not from a copy.
      const packed = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
      this.parts = [];
      const { maxEntryBytes, maxRatio, maxTotalBytes } = budget.limits;
      const cap = Math.max(0, Math.min(maxEntryBytes, maxTotalBytes - budget.total, Math.max(1024 * 1024, packed.byteLength * maxRatio))) + 1;
      let out: Buffer;
      try {
        // An output buffer of the declared size (+1, so that the end is seen in it): one allocation and no
        // concatenation of 16 KB pieces; a wrong declaration only costs pieces again (bounded by the cap).
        const chunkSize = this.declared !== undefined ? Math.max(64, Math.min(cap, this.declared + 1)) : undefined;
        out = inflateRawSync(packed, { maxOutputLength: cap, chunkSize });
      } catch (err) {
        if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') return this.ondata(err, null, true);
        const slow = new Inflate((data, last) => this.ondata(null, data, last));
        try {
          slow.push(packed, true);
        } catch (e) {
          this.ondata(e, null, true);
        }
        return;
      }
      this.ondata(null, out, true);
    }
  };
}

/** Whether a zip entry is one of the batch's files (not litter), counted against the budget; refused if its compression is unknown. */
function admitted(file: UnzipFile, budget: Budget): boolean {
  if (ignored(file.name)) return false;
  budget.entry(file.name);
  if (file.compression !== 0 && file.compression !== 8) throw new ArchiveError('ARCHIVE_MALFORMED', `Le fichier « ${file.name.slice(0, 80)} » de l'archive utilise une compression non prise en charge.`);
  return true;
}

function readZip(bytes: Uint8Array, budget: Budget): ArchiveEntry[] {
  if (!hasEndRecord(bytes)) throw new ArchiveError('ARCHIVE_MALFORMED', 'Archive zip incomplète ou abîmée (répertoire central absent).');
  const out: ArchiveEntry[] = [];
  let failure: unknown = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    try {
      if (!admitted(file, budget)) return;
      const chunks: Uint8Array[] = [];
      let size = 0;
      file.ondata = (err, data, final) => {
        if (failure) return;
        try {
          if (err) throw new ArchiveError('ARCHIVE_MALFORMED', `Archive zip illisible (${file.name.slice(0, 80)}).`);
          size += data.byteLength;
          budget.grow(file.name, size, file.compression === 8 ? file.size : undefined, data.byteLength);
          chunks.push(data);
          if (final && file.originalSize !== undefined && file.originalSize !== size)
            throw new ArchiveError('ARCHIVE_MALFORMED', `Archive zip abîmée : le fichier « ${file.name.slice(0, 80)} » est incomplet.`);
          if (final) out.push({ path: file.name, filename: file.name.split('/').pop()!, bytes: concat(chunks, size) });
        } catch (e) {
          failure = e;
          file.terminate();
        }
      };
      file.start();
    } catch (e) {
      failure = e;
    }
  });
  unzip.register(nativeInflate(budget));
  try {
    for (let i = 0; i < bytes.byteLength && !failure; i += CHUNK) unzip.push(bytes.subarray(i, Math.min(i + CHUNK, bytes.byteLength)), i + CHUNK >= bytes.byteLength);
  } catch (e) {
    failure ??= new ArchiveError('ARCHIVE_MALFORMED', `Archive zip illisible : ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (failure) throw failure;
  return out;
}

function gunzipBounded(bytes: Uint8Array, budget: Budget): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let failure: unknown = null;
  const gz = new Gunzip((data) => {
    if (failure) return;
    size += data.byteLength;
    try {
      // The tar's own entries are counted again when read; here only the whole stream is bounded.
      if (size > budget.limits.maxTotalBytes + 1024 * 1024) throw new ArchiveError('ARCHIVE_TOO_EXPANDED', `L'archive dépasse ${MB(budget.limits.maxTotalBytes)} une fois décompressée.`);
      if (size > 1024 * 1024 && size / budget.archiveBytes > budget.limits.maxRatio)
        throw new ArchiveError('ARCHIVE_TOO_EXPANDED', `L'archive se décompresse de façon anormale (plus de ${budget.limits.maxRatio} fois sa taille) : elle est refusée.`);
      chunks.push(data);
    } catch (e) {
      failure = e;
    }
  });
  try {
    for (let i = 0; i < bytes.byteLength && !failure; i += CHUNK) gz.push(bytes.subarray(i, Math.min(i + CHUNK, bytes.byteLength)), i + CHUNK >= bytes.byteLength);
  } catch (e) {
    failure ??= new ArchiveError('ARCHIVE_MALFORMED', `Archive gzip illisible : ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (failure) throw failure;
  return concat(chunks, size);
}

async function readTar(tar: Uint8Array, budget: Budget): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const name = entry.header.name;
      const type = entry.header.type as string;
      if (type === 'directory' || type === 'pax-header' || type === 'pax-global-header' || type === 'gnu-long-path' || type === 'gnu-long-link-path' || ignored(name)) {
        entry.resume();
        continue;
      }
      budget.entry(name);
      if (type !== 'file' && type !== 'contiguous-file')
        throw new ArchiveError('ARCHIVE_PATH_FORBIDDEN', `L'archive contient « ${name.slice(0, 80)} » qui n'est pas un fichier ordinaire (lien ou périphérique).`);
      if ((entry.header.size ?? 0) > budget.limits.maxEntryBytes)
        throw new ArchiveError('ARCHIVE_ENTRY_TOO_LARGE', `Le fichier « ${name.slice(0, 80)} » de l'archive dépasse ${MB(budget.limits.maxEntryBytes)}.`);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        budget.grow(name, size, undefined, chunk.byteLength);
        chunks.push(chunk);
      }
      out.push({ path: name, filename: name.split('/').pop()!, bytes: concat(chunks, size) });
    }
  })();
  ex.end(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength));
  try {
    await done;
  } catch (e) {
    ex.destroy();
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError('ARCHIVE_MALFORMED', `Archive tar illisible : ${e instanceof Error ? e.message : String(e)}.`);
  }
  return out;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** The files of a zip or tar.gz batch, in archive order; ArchiveError (stable code, French message) otherwise. */
export async function readArchive(bytes: Uint8Array, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<{ kind: ArchiveKind; entries: ArchiveEntry[] }> {
  if (bytes.byteLength > limits.maxArchiveBytes) throw new ArchiveError('ARCHIVE_TOO_LARGE', `L'archive dépasse ${MB(limits.maxArchiveBytes)}.`);
  const kind = archiveKindOf(bytes);
  if (!kind) throw new ArchiveError('ARCHIVE_TYPE_UNSUPPORTED', "Le lot doit être une archive zip ou tar.gz de factures Factur-X, UBL ou CII.");
  const budget = new Budget(limits, bytes.byteLength);
  const entries = kind === 'ZIP' ? readZip(bytes, budget) : await readTar(gunzipBounded(bytes, budget), budget);
  if (!entries.length) throw new ArchiveError('ARCHIVE_EMPTY', "L'archive ne contient aucun fichier.");
  return { kind, entries };
}

/** A zip's files read one by one, when wanted (zipFilesOnDemand). */
export interface ArchiveFiles {
  count: number;
  /** The path inside the archive of the file at this index (0-based, archive order). */
  path(index: number): string;
  /** The file at this index, inflated now; ArchiveError when it is not what its header declares (that file only). */
  entry(index: number): ArchiveEntry;
}

/** Keeps an entry's bytes as they are in the archive (inflated later, by ArchiveFiles.entry). */
const keeper = (compression: number) =>
  class Keep {
    static compression = compression;
    ondata!: (err: unknown, data: Uint8Array | null, final: boolean) => void;
    private parts: Uint8Array[] = [];
    push(chunk: Uint8Array, final: boolean) {
      this.parts.push(chunk);
      if (final) this.ondata(null, this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts), true);
    }
  };

/**
 * The files of a zip, each inflated only when asked for, without inflating the archive first (a flow of thousands of
 * files: its first chunk is read at once). What can be judged without inflating is judged at once, and refuses the
 * whole archive as readArchive does: names, number of entries, compression methods, and the sizes the entries
 * declare against every limit (each entry's size and expansion, the total, the archive's expansion). When inflated,
 * an entry must have exactly the size it declared (it is never inflated beyond it): an entry that lies, or is
 * damaged, is refused alone (ArchiveError from `entry`), and the declared sizes bound what is really inflated.
 * Null when an entry does not declare its size in its local header (streaming archivers): such a zip is read whole
 * (readArchive), its bounds checked while inflating.
 */
export function zipFilesOnDemand(bytes: Uint8Array, limits: ArchiveLimits): ArchiveFiles | null {
  if (bytes.byteLength > limits.maxArchiveBytes) throw new ArchiveError('ARCHIVE_TOO_LARGE', `L'archive dépasse ${MB(limits.maxArchiveBytes)}.`);
  if (archiveKindOf(bytes) !== 'ZIP') throw new ArchiveError('ARCHIVE_TYPE_UNSUPPORTED', "Le lot doit être une archive zip ou tar.gz de factures Factur-X, UBL ou CII.");
  if (!hasEndRecord(bytes)) throw new ArchiveError('ARCHIVE_MALFORMED', 'Archive zip incomplète ou abîmée (répertoire central absent).');
  const budget = new Budget(limits, bytes.byteLength);
  const kept: Array<{ name: string; compression: number; packed: Uint8Array; declared: number }> = [];
  let failure: unknown = null;
  let undeclared = false;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure || undeclared) return;
    try {
      if (!admitted(file, budget)) return;
      if (file.originalSize === undefined || file.size === undefined) return void (undeclared = true);
      budget.grow(file.name, file.originalSize, file.compression === 8 ? file.size : undefined, file.originalSize);
      const entry = { name: file.name, compression: file.compression, packed: new Uint8Array(0), declared: file.originalSize };
      kept.push(entry);
      file.ondata = (err, data, final) => {
        if (err) failure ??= new ArchiveError('ARCHIVE_MALFORMED', `Archive zip illisible (${file.name.slice(0, 80)}).`);
        else if (final) entry.packed = data;
      };
      file.start();
    } catch (e) {
      failure = e;
    }
  });
  unzip.register(keeper(0) as never);
  unzip.register(keeper(8) as never);
  try {
    for (let i = 0; i < bytes.byteLength && !failure && !undeclared; i += CHUNK) unzip.push(bytes.subarray(i, Math.min(i + CHUNK, bytes.byteLength)), i + CHUNK >= bytes.byteLength);
  } catch (e) {
    failure ??= new ArchiveError('ARCHIVE_MALFORMED', `Archive zip illisible : ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (failure) throw failure;
  if (undeclared) return null;
  if (!kept.length) throw new ArchiveError('ARCHIVE_EMPTY', "L'archive ne contient aucun fichier.");
  return {
    count: kept.length,
    path: (index) => kept[index]!.name,
    entry(index) {
      const { name, compression, packed, declared } = kept[index]!;
      const incomplete = () => new ArchiveError('ARCHIVE_MALFORMED', `Archive zip abîmée : le fichier « ${name.slice(0, 80)} » ne correspond pas à la taille qu'il déclare.`);
      let out: Uint8Array;
      if (compression === 0) out = packed;
      else {
        try {
          // One more byte than declared: an entry longer than it says is seen, and stopped there.
          out = inflateRawSync(packed, { maxOutputLength: declared + 1, chunkSize: Math.max(64, declared + 1) });
        } catch (err) {
          if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw incomplete();
          throw new ArchiveError('ARCHIVE_MALFORMED', `Archive zip illisible (${name.slice(0, 80)}).`);
        }
      }
      if (declared !== out.byteLength) throw incomplete();
      return { path: name, filename: name.split('/').pop()!, bytes: out };
    },
  };
}
