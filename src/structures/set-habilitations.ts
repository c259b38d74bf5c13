import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { ACCESS_LEVELS, SPACE_CODES, spaceLabel } from './model.ts';
import { findMembers, findServiceIds, replaceHabilitations, type HabilitationRow } from './rights-repository.ts';
import { spacesOfKind } from './members-model.ts';
import { authorizeOn, memberNotFound } from './authorize-on.ts';

export const spaceSchema = z.enum(SPACE_CODES, { message: 'Espace inconnu.' });
export const accessSchema = z.enum(ACCESS_LEVELS, { message: 'Niveau de droit inconnu (CONSULTATION_UNIQUEMENT ou MODIFICATION).' });
export const habilitationSchema = z.object({
  space: spaceSchema,
  access: accessSchema,
  serviceId: z.coerce.number().int().positive('Service invalide.').nullable().optional(),
});
export const setHabilitationsInput = z.object({
  habilitations: z.array(habilitationSchema, { message: 'La liste des droits est obligatoire.' }).max(500),
});
export type HabilitationInput = z.input<typeof habilitationSchema>;

/** Checks that rights name spaces of this kind of structure, its own services, and no space twice. */
export async function checkHabilitations(db: Executor, structure: { id: number; kind: 'PRIVEE' | 'PUBLIQUE' }, list: Array<z.infer<typeof habilitationSchema>>): Promise<HabilitationRow[]> {
  const allowed = spacesOfKind(structure.kind);
  const rows = list.map((h) => ({ space: h.space, access: h.access, serviceId: h.serviceId ?? null }));
  for (const r of rows)
    if (!allowed.includes(r.space as never))
      throw new AppError('VALIDATION', 'SPACE_NOT_AVAILABLE', `L'espace « ${spaceLabel(r.space)} » n'existe pas pour une structure ${structure.kind === 'PRIVEE' ? 'privée' : 'publique'}.`);
  const keys = rows.map((r) => `${r.space}:${r.serviceId ?? 0}`);
  if (new Set(keys).size !== keys.length) throw new AppError('VALIDATION', 'DUPLICATE_RIGHT', 'Un même espace est donné deux fois.');
  const serviceIds = [...new Set(rows.map((r) => r.serviceId).filter((x): x is number => x !== null))];
  if ((await findServiceIds(db, structure.id, serviceIds)).length !== serviceIds.length)
    throw new AppError('VALIDATION', 'SERVICE_UNKNOWN', "Un des services n'appartient pas à cette structure.");
  return rows;
}

/** Loads a member whose rights the principal manager may change (not himself: he always has every right). */
export async function editableMember(db: Executor, structureId: number, userId: number) {
  const [m] = await findMembers(db, structureId, [userId]);
  if (!m) throw memberNotFound();
  if (m.role === 'GESTIONNAIRE_PRINCIPAL')
    throw new AppError('CONFLICT', 'PRINCIPAL_MANAGER_HAS_ALL_RIGHTS', 'Le gestionnaire principal a toujours tous les droits : ils ne se modifient pas.');
  return m;
}

/** The principal manager replaces the whole set of a member's rights. */
export async function setHabilitations(ctx: Ctx, actor: Actor, structureId: number, userId: number, raw: { habilitations?: unknown }): Promise<HabilitationRow[]> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'rights.manage');
  const input = parseInput(setHabilitationsInput, raw);
  await editableMember(ctx.db, structureId, userId);
  const rows = await checkHabilitations(ctx.db, structure, input.habilitations);
  await ctx.db.transaction().execute(async (trx) => {
    await replaceHabilitations(trx, structureId, userId, rows);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RIGHTS_SET', actorUserId: actor.userId, data: { userId, habilitations: rows } });
    await notify(trx, { userId, structureId, kind: 'DROITS_MODIFIES', message: `Vos droits sur ${structure.name} ont été modifiés.`, link: `/structures/${structureId}/espaces` });
  });
  return rows;
}
