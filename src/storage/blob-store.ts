import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where document bytes live, addressed by their SHA-256. An S3-compatible store can implement it later. */
export interface BlobStore {
  /** `sha256`: the caller's digest of these very bytes, when it has just made it (a flow of 150 MB is not hashed twice). */
  put(bytes: Uint8Array, sha256?: string): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Files under `<root>/ab/cd/<sha256>`, written to a temporary name, fsynced, then renamed. */
export class FileSystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array, known?: string) {
    const sha256 = known ?? sha256Hex(bytes);
    const target = this.pathOf(sha256);
    if (!(await this.has(sha256))) {
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    }
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string) {
    return readFile(this.pathOf(sha256));
  }

  async has(sha256: string) {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }
}
