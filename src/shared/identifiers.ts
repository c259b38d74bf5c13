/**
 * Checks of French company identifiers. Pure functions, no I/O.
 */

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's establishments share SIREN 356000000 and cannot all satisfy Luhn; INSEE checks them by digit sum. */
const LA_POSTE_SIREN = '356000000';

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhnValid(siret)) return true;
  if (siret.startsWith(LA_POSTE_SIREN)) {
    const digitSum = [...siret].reduce((s, c) => s + Number(c), 0);
    return digitSum % 5 === 0;
  }
  return false;
}

export const sirenOf = (siret: string) => siret.slice(0, 9);

/** French intra-community VAT number: FR + key (12 + 3 × (SIREN mod 97)) mod 97 + SIREN. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

export const STRUCTURE_IDENTIFIER_TYPES = [
  'SIRET',
  'UE_HORS_FRANCE',
  'HORS_UE',
  'RIDET',
  'TAHITI',
  'AUTRE',
  'PARTICULIER',
] as const;
export type StructureIdentifierType = (typeof STRUCTURE_IDENTIFIER_TYPES)[number];

/**
 * Format check per identifier type; returns a French message when invalid.
 * RIDET (New Caledonia) is 7 digits plus a 3-digit establishment rank; TAHITI is a letter and 5 digits
 * followed by a 3-digit rank (N° Tahiti); EU identifiers start with the country code.
 */
export function checkStructureIdentifier(type: StructureIdentifierType, identifier: string): string | null {
  const id = identifier.trim();
  switch (type) {
    case 'SIRET':
      if (!/^\d{14}$/.test(id)) return 'Le SIRET doit comporter exactement 14 chiffres.';
      if (!isValidSiret(id)) return "Ce SIRET n'est pas valide (clé de contrôle incorrecte).";
      return null;
    case 'UE_HORS_FRANCE':
      if (!/^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)[A-Z0-9]{2,13}$/.test(id))
        return "Un identifiant européen commence par le code du pays (ex. DE123456789), suivi de 2 à 13 caractères alphanumériques, sans la France.";
      return null;
    case 'HORS_UE':
      if (!/^[A-Za-z0-9\-./ ]{1,80}$/.test(id)) return "L'identifiant hors UE doit comporter de 1 à 80 caractères (lettres, chiffres, - . /).";
      return null;
    case 'RIDET':
      if (!/^\d{10}$/.test(id)) return 'Le RIDET doit comporter 10 chiffres (7 chiffres et le rang de l’établissement sur 3 chiffres).';
      return null;
    case 'TAHITI':
      if (!/^[A-Z]\d{5}(\d{3})?$/.test(id)) return 'Le numéro TAHITI doit comporter une lettre suivie de 5 chiffres, éventuellement du rang sur 3 chiffres.';
      return null;
    case 'AUTRE':
    case 'PARTICULIER':
      if (!/^[A-Za-z0-9\-./ ]{1,80}$/.test(id)) return "L'identifiant doit comporter de 1 à 80 caractères (lettres, chiffres, - . /).";
      return null;
  }
}
