import { z } from 'zod';
import { AppError } from './app-error.ts';

/**
 * Parses input with a zod schema; failures become one VALIDATION AppError carrying
 * a French message per field (the schemas' messages are written in French).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '_';
    if (!fields[key]) fields[key] = frenchIssue(issue);
  }
  throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
}

function frenchIssue(issue: z.core.$ZodIssue): string {
  // Our schemas carry French messages; zod's own English defaults are replaced here.
  if (issue.message && !/^(Invalid|Too|Expected|Required|Unrecognized)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return 'Ce champ est obligatoire ou mal formé.';
    case 'too_small':
      return 'Valeur trop courte ou trop petite.';
    case 'too_big':
      return 'Valeur trop longue ou trop grande.';
    case 'invalid_format':
      return 'Format invalide.';
    case 'invalid_value':
      return 'Valeur non autorisée.';
    case 'unrecognized_keys':
      return 'Champ inconnu.';
    default:
      return 'Valeur invalide.';
  }
}

/** A trimmed string that must not be empty, with a French message. */
export const requiredText = (label: string, max = 255) =>
  z
    .string({ message: `${label} est obligatoire.` })
    .trim()
    .min(1, `${label} est obligatoire.`)
    .max(max, `${label} ne doit pas dépasser ${max} caractères.`);

export const email = () =>
  z
    .string({ message: "L'adresse électronique est obligatoire." })
    .trim()
    .toLowerCase()
    .max(254, "L'adresse électronique est trop longue.")
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "L'adresse électronique n'est pas valide.");
