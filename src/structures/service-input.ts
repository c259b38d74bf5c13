import { z } from 'zod';
import { AppError } from '../shared/app-error.ts';
import { requiredText } from '../shared/validate.ts';
import { SERVICE_CODE } from './services-model.ts';

const isRealDay = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** An optional calendar day 'YYYY-MM-DD'; empty text means none. */
export const optionalDay = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v),
    z.string({ message: `${label} doit être une date (AAAA-MM-JJ).` }).refine(isRealDay, `${label} doit être une date valide (AAAA-MM-JJ).`).nullish(),
  );

/** The fields of a service, all optional: creation requires code and name on top. */
export const serviceFields = z.object({
  code: z.string({ message: 'Le code service est obligatoire.' }).trim().regex(SERVICE_CODE, 'Le code service comporte de 1 à 100 caractères : lettres, chiffres, tiret (-) ou souligné (_).').optional(),
  name: requiredText('Le nom du service', 200).optional(),
  description: z.string().trim().max(1000, 'La description ne doit pas dépasser 1000 caractères.').transform((s) => s || null).nullish(),
  validFrom: optionalDay('La date de début de validité'),
  validTo: optionalDay('La date de fin de validité'),
  active: z.boolean({ message: 'Valeur oui/non attendue.' }).optional(),
  numeroEjDoitEtreRenseigne: z.boolean({ message: 'Valeur oui/non attendue.' }).optional(),
});
export type ServiceFields = z.input<typeof serviceFields>;

export function checkValidity(validFrom: string | null, validTo: string | null): void {
  if (validFrom && validTo && validTo < validFrom)
    throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', {
      validTo: 'La date de fin de validité doit être postérieure ou égale à la date de début.',
    });
}

export const serviceExists = (code: string) =>
  new AppError('CONFLICT', 'SERVICE_EXISTS', `Un service de code « ${code} » existe déjà dans cette structure.`, { code: 'Ce code service est déjà utilisé.' });
