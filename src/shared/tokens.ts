import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';

/** A random secret token (160 bits, base32) and the sha256 under which it is stored. */
export function newSecretToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
