import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { FormatError } from '../formats/errors.ts';

/** Reads a file after checking its size on disk, so an oversized file is refused without being loaded. */
export function readBoundedFile(file: string, maxBytes: number): Buffer {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new FormatError('NOT_AN_INVOICE', `« ${file} » n'est pas un fichier.`);
    size = stat.size;
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FileUnreadableError(`Fichier introuvable ou illisible : ${file}`);
  }
  if (size > maxBytes) {
    throw new FormatError('INPUT_TOO_LARGE', `Fichier trop volumineux (${(size / 1024 / 1024).toFixed(1)} Mo) : la taille maximale est de ${(maxBytes / 1024 / 1024).toFixed(1)} Mo.`);
  }
  const buffer = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A file that cannot be opened at all (the `validate` command exits 2 on it). */
export class FileUnreadableError extends Error {}
