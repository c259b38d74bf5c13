import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { designateValidators, findContractOfBuyer, loadContract } from '../contracts/index.ts';
import { REASONS, type InvoiceAction } from './lifecycle.ts';
import { appendEvent, lockInvoice } from './repository.ts';
import { applyTransition } from './transition.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';
import { actingLevel, loadValidatorAccess } from './validator-access.ts';
import { depositKind, isValidated } from './validation-effects.ts';
import { findValidation, saveValidation } from './validation-repository.ts';
import { findRecipient } from './recipient-requirements.ts';

const fail = (fields: Record<string, string>) => new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
const siret = z.string().trim().transform((s) => s.replace(/\s/g, '')).nullable().optional().transform((v) => v || null);

export const invoiceContractInput = z.object({
  contractNumber: z.string().trim().max(50, 'Le numéro du marché ne doit pas dépasser 50 caractères.').nullable().optional().transform((v) => v || null),
  validatorSiret: siret,
});
export type InvoiceContractInput = z.input<typeof invoiceContractInput>;

/**
 * The supplier names, on a draft, the contract the invoice belongs to and (A9 / A12) the structure that validates
 * it (codeStructureValideur). Checked again at « Valider et envoyer ». An empty contract number removes the link.
 */
export async function setInvoiceContract(ctx: Ctx, actor: Actor, invoiceId: number, raw: InvoiceContractInput) {
  const input = parseInput(invoiceContractInput, raw);
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  const inv = access.invoice;
  if (inv.status !== 'BROUILLON') throw new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.');
  const validated = isValidated(inv.framework);
  let contractId: number | null = null;
  let validatorId: number | null = null;
  const errors: Record<string, string> = {};
  if (input.contractNumber) {
    const c = await findContractOfBuyer(ctx.db, inv.recipient_structure_id, input.contractNumber);
    if (!c) errors.contractNumber = `${inv.recipient_name} n'a pas de marché numéro « ${input.contractNumber} » sur la plateforme.`;
    else contractId = c.contract.id;
  } else if (validated) errors.contractNumber = 'Le numéro du marché est obligatoire pour une facture de sous-traitance ou de cotraitance.';
  if (validated) {
    if (!input.validatorSiret) errors.validatorSiret = 'Le SIRET de la structure qui valide la facture est obligatoire.';
    else {
      const s = await findRecipient(ctx.db, input.validatorSiret);
      if (!s) errors.validatorSiret = `Aucune structure de SIRET ${input.validatorSiret} n'est inscrite sur la plateforme.`;
      else validatorId = s.id;
    }
  }
  if (Object.keys(errors).length) throw fail(errors);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockInvoice(trx, invoiceId);
    if (!locked || locked.status !== 'BROUILLON') throw new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.');
    if (contractId === null) await trx.deleteFrom('invoice_validations').where('invoice_id', '=', invoiceId).execute();
    else await saveValidation(trx, invoiceId, { contractId, validatorStructureId: validatorId });
    await appendEvent(trx, invoiceId, {
      type: 'MODIFICATION', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null,
      data: { contractNumber: input.contractNumber, validatorSiret: validated ? input.validatorSiret : null }, createdAt: now,
    });
  });
  return { invoiceId, contractId, validatorStructureId: validatorId };
}

/**
 * The supplier corrects the validator (corriger/valideur/facture) while the invoice waits at level 1 or after the
 * validator signalled an error: the new validator must be the one the contract designates; a new deadline starts.
 */
export async function correctValidator(ctx: Ctx, actor: Actor, invoiceId: number, raw: { validatorSiret?: string | null; comment?: string | null }) {
  const input = parseInput(z.object({ validatorSiret: siret, comment: z.string().trim().max(2000).nullable().optional() }), raw);
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  const inv = access.invoice;
  const v = await findValidation(ctx.db, invoiceId);
  if (!v || !isValidated(inv.framework)) throw new AppError('CONFLICT', 'TRANSITION_NOT_ALLOWED', "Cette facture n'a pas de circuit de validation.");
  if (!input.validatorSiret) throw fail({ validatorSiret: 'Le SIRET du valideur est obligatoire.' });
  const s = await findRecipient(ctx.db, input.validatorSiret);
  if (!s) throw fail({ validatorSiret: `Aucune structure de SIRET ${input.validatorSiret} n'est inscrite sur la plateforme.` });
  const c = await loadContract(ctx.db, v.contract_id);
  const d = c ? designateValidators(c.parties, inv.supplier_structure_id, depositKind(inv.framework)) : null;
  if (!d?.ok) throw fail({ contractNumber: `Marché ${v.contract_number} : ${d?.message ?? 'introuvable.'}` });
  if (d.validators[0] !== s.id) throw fail({ validatorSiret: `Le marché ${v.contract_number} ne désigne pas ${s.name} pour valider vos factures.` });
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockInvoice(trx, invoiceId);
    if (!locked) throw invoiceNotFound();
    await saveValidation(trx, invoiceId, { contractId: v.contract_id, validatorStructureId: s.id });
    const updated = await applyTransition(trx, ctx, locked, { action: 'CORRIGER_VALIDEUR', role: 'FOURNISSEUR', actorUserId: actor.userId, comment: input.comment ?? null, data: { validatorSiret: s.identifier, validatorName: s.name } });
    return { invoiceId, status: updated.status };
  });
}

const DECISIONS = ['VALIDER', 'REFUSER_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR'] as const;
export const decisionInput = z.object({
  action: z.enum(DECISIONS, { message: 'Décision inconnue : VALIDER, REFUSER_VALIDATION ou SIGNALER_ERREUR_VALIDEUR.' }),
  reason: z.string().trim().max(100).nullable().optional(),
  comment: z.string().trim().max(2000, 'Le commentaire ne doit pas dépasser 2000 caractères.').nullable().optional(),
});
export type DecisionInput = z.input<typeof decisionInput>;

/** The validator of the open level accepts, refuses with a reason of the list, or says it is not the right validator. */
export async function decideValidation(ctx: Ctx, actor: Actor, invoiceId: number, raw: DecisionInput) {
  const input = parseInput(decisionInput, raw);
  const access = await loadValidatorAccess(ctx.db, actor, invoiceId);
  const level = actingLevel(access);
  if (input.action === 'REFUSER_VALIDATION') {
    if (input.reason && !REASONS.REFUSER_VALIDATION.some((r) => r.code === input.reason)) throw fail({ reason: 'Choisissez un motif de la liste.' });
    if (input.reason === 'AUTRE' && !input.comment) throw fail({ comment: 'Précisez le motif « Autre » dans le commentaire.' });
  }
  const structureId = access.levels.find((l) => l.level === level)!.structureId;
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockInvoice(trx, invoiceId);
    if (!locked) throw invoiceNotFound();
    const updated = await applyTransition(trx, ctx, locked, {
      action: input.action as InvoiceAction, role: level === 1 ? 'VALIDEUR_1' : 'VALIDEUR_2', actorUserId: actor.userId,
      input: { reason: input.reason }, comment: input.comment ?? null, data: { level, validatorStructureId: structureId },
    });
    return { invoiceId, status: updated.status, level };
  });
}
