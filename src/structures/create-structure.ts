import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { STRUCTURE_IDENTIFIER_TYPES, checkStructureIdentifier, frenchVatNumber, sirenOf } from '../shared/identifiers.ts';
import { parseInput, requiredText } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { SPACE_CODES } from './model.ts';
import { findStructureByIdentifier } from './repository.ts';

export const createStructureInput = z.object({
  identifierType: z.enum(STRUCTURE_IDENTIFIER_TYPES, { message: "Le type d'identifiant est obligatoire." }),
  identifier: z.string({ message: "L'identifiant est obligatoire." }).trim().min(1, "L'identifiant est obligatoire.").transform((s) => s.replace(/\s+/g, '')),
  name: requiredText('La raison sociale', 200),
  kind: z.enum(['PRIVEE', 'PUBLIQUE'], { message: 'Indiquez si la structure est privée ou publique.' }),
  addressLine: z.string().trim().max(200).optional(),
  postcode: z.string().trim().max(20).optional(),
  city: z.string().trim().max(100).optional(),
  countryCode: z.string().trim().regex(/^[A-Z]{2}$/, 'Code pays sur 2 lettres (ex. FR).').optional(),
  contactEmail: z.string().trim().max(254).optional(),
  vatNumber: z.string().trim().max(20).optional(),
});
export type CreateStructureInput = z.input<typeof createStructureInput>;

/** Creates a structure; its creator becomes the principal manager (GP) with every right. */
export async function createStructure(ctx: Ctx, actor: Actor, raw: CreateStructureInput): Promise<{ structureId: number }> {
  if (actor.isTechnical) throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Un compte technique ne peut pas créer de structure.');
  const input = parseInput(createStructureInput, raw);
  const identifier = input.identifierType === 'UE_HORS_FRANCE' || input.identifierType === 'TAHITI' ? input.identifier.toUpperCase() : input.identifier;
  const problem = checkStructureIdentifier(input.identifierType, identifier);
  if (problem) throw new AppError('VALIDATION', 'IDENTIFIER_INVALID', problem, { identifier: problem });
  if (input.kind === 'PUBLIQUE' && input.identifierType !== 'SIRET')
    throw new AppError('VALIDATION', 'PUBLIC_STRUCTURE_NEEDS_SIRET', 'Une structure publique est identifiée par son SIRET.', { identifierType: 'Une structure publique est identifiée par son SIRET.' });
  const duplicate = () =>
    new AppError('CONFLICT', 'STRUCTURE_EXISTS', 'Cette structure existe déjà : demandez votre rattachement à son gestionnaire principal.', {
      identifier: 'Cette structure existe déjà.',
    });
  if (await findStructureByIdentifier(ctx.db, input.identifierType, identifier)) throw duplicate();
  const siren = input.identifierType === 'SIRET' ? sirenOf(identifier) : null;
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const s = await trx
        .insertInto('structures')
        .values({
          identifier_type: input.identifierType,
          identifier,
          siren,
          vat_number: siren ? frenchVatNumber(siren) : input.vatNumber || null,
          name: input.name,
          kind: input.kind,
          address_line: input.addressLine || null,
          postcode: input.postcode || null,
          city: input.city || null,
          country_code: input.countryCode ?? (input.identifierType === 'SIRET' ? 'FR' : undefined),
          contact_email: input.contactEmail || null,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('rattachements')
        .values({ user_id: actor.userId, structure_id: s.id, status: 'VALIDEE', role: 'GESTIONNAIRE_PRINCIPAL', decided_at: now, decided_by: actor.userId })
        .execute();
      const spaces = SPACE_CODES.filter((c) => input.kind === 'PUBLIQUE' || !['FACTURES_RECUES', 'ENGAGEMENTS'].includes(c));
      await trx
        .insertInto('habilitations')
        .values(spaces.map((space) => ({ user_id: actor.userId, structure_id: s.id, space, access: 'MODIFICATION' as const, service_id: null })))
        .execute();
      await recordEvent(trx, { stream: `structure:${s.id}`, type: 'STRUCTURE_CREATED', actorUserId: actor.userId, data: { identifier, name: input.name } });
      return { structureId: s.id };
    });
  } catch (err: any) {
    if (err?.code === '23505' || /duplicate key/.test(String(err?.message))) throw duplicate();
    throw err;
  }
}
