import { generateHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';

/** Links sent by mail stay valid 60 minutes (Chorus Pro's activation rule, applied to every link). */
export const LINK_VALIDITY_MINUTES = 60;
/** Sessions expire after 12 hours without activity. */
export const SESSION_IDLE_HOURS = 12;
/** Passwords of technical accounts expire after 424 days (14 months), as on Chorus Pro. */
export const TECHNICAL_PASSWORD_DAYS = 424;

/** Returns the French reasons why a password is refused (empty when it is accepted). */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('au moins 12 caractères');
  if (password.length > 128) problems.push('au plus 128 caractères');
  if (!/[a-z]/.test(password)) problems.push('une minuscule');
  if (!/[A-Z]/.test(password)) problems.push('une majuscule');
  if (!/[0-9]/.test(password)) problems.push('un chiffre');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('un caractère spécial');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) problems.push(CONTAINS_LOGIN);
  return problems;
}

const CONTAINS_LOGIN = "ne doit pas contenir l'adresse de connexion";

export function passwordMessage(problems: string[]): string {
  const missing = problems.filter((p) => p !== CONTAINS_LOGIN);
  const parts = [];
  if (missing.length) parts.push(`doit contenir ${missing.join(', ')}`);
  if (problems.includes(CONTAINS_LOGIN)) parts.push(CONTAINS_LOGIN);
  return `Le mot de passe ${parts.join(' et ')}.`;
}

// TOTP (RFC 6238): 30-second steps, 6 digits; one step of drift accepted either side.
const TOTP_PERIOD = 30;
const TOTP_DIGITS = 6;

export function newTotpSecret(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(20));
}

export function totpUri(secret: string, account: string): string {
  return createTOTPKeyURI('Ouvrage', account, decodeBase32IgnorePadding(secret), TOTP_PERIOD, TOTP_DIGITS);
}

export function totpCode(secret: string, at: Date): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(at.getTime() / 1000 / TOTP_PERIOD)), TOTP_DIGITS);
}

/**
 * Finds the time step a code belongs to (or null). The caller refuses a step not strictly after the last
 * one used, so a code cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = Math.floor(at.getTime() / 1000 / TOTP_PERIOD);
  for (const step of [current, current - 1, current + 1]) {
    if (generateHOTP(key, BigInt(step), TOTP_DIGITS) === code) return step;
  }
  return null;
}

export const displayName = (u: { first_name: string; last_name: string }) => `${u.first_name} ${u.last_name}`;
