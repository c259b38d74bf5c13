import type { Actor, Ctx } from '../context.ts';
import { getResponse } from './get-dume.ts';
import { responsesToRequest } from './repository.ts';

export interface GroupMember {
  responseId: number;
  number: string;
  operatorName: string | null;
  operatorIdentifier: string | null;
  groupName: string | null;
  role: string | null;
  status: string;
  reliedUponByNumber: string | null;
}

export interface GroupCheck {
  code: 'GROUP_NAME_MISMATCH' | 'NO_LEADER' | 'SEVERAL_LEADERS' | 'SOLE_TENDERER_IN_GROUP' | 'RELIED_UPON_WITHOUT_TENDERER';
  message: string;
}

const normalise = (s: string | null) => (s ?? '').trim().replace(/\s+/g, ' ');

/**
 * Consistency of a groupement's responses to one procedure: every member spells the group name the
 * same way, there is exactly one leader (mandataire), and nobody declares himself sole tenderer.
 */
export function checkGroupement(members: GroupMember[]): GroupCheck[] {
  const checks: GroupCheck[] = [];
  const tenderers = members.filter((m) => m.role !== 'OERON' && m.role !== 'OENRON');
  const names = [...new Set(tenderers.map((m) => normalise(m.groupName)))];
  if (names.length > 1)
    checks.push({ code: 'GROUP_NAME_MISMATCH', message: `Les membres n’écrivent pas le nom du groupement de la même façon : ${names.map((n) => `« ${n || '(vide)'} »`).join(', ')}. Chaque membre doit reprendre exactement le même nom.` });
  const leaders = tenderers.filter((m) => m.role === 'LE');
  if (!leaders.length) checks.push({ code: 'NO_LEADER', message: 'Aucun membre ne se déclare mandataire du groupement.' });
  if (leaders.length > 1) checks.push({ code: 'SEVERAL_LEADERS', message: `Plusieurs membres se déclarent mandataires : ${leaders.map((m) => m.operatorName ?? m.number).join(', ')}. Un groupement a un seul mandataire.` });
  for (const m of tenderers.filter((x) => x.role === 'SC'))
    checks.push({ code: 'SOLE_TENDERER_IN_GROUP', message: `${m.operatorName ?? m.number} se déclare soumissionnaire seul alors qu’il figure dans le groupement.` });
  for (const m of members.filter((x) => x.role === 'OERON' && !x.reliedUponByNumber))
    checks.push({ code: 'RELIED_UPON_WITHOUT_TENDERER', message: `${m.operatorName ?? m.number} est une entité dont les capacités sont utilisées, sans lien vers la réponse du candidat.` });
  return checks;
}

/**
 * The groupement of a response: the responses to the same procedure under the same group name (and
 * the entities they rely on), as the company or the buyer sees them, with the consistency checks.
 */
export async function getGroupement(ctx: Ctx, actor: Actor, responseId: number) {
  const { response } = await getResponse(ctx, actor, { id: responseId });
  if (!response.request_id) return { groupName: response.group_name, members: [], checks: [] };
  const all = await responsesToRequest(ctx.db, response.request_id);
  const byId = new Map(all.map((r) => [r.id, r]));
  const key = normalise(response.group_name).toLowerCase();
  const inGroup = all.filter((r) => {
    if (r.relied_upon_by_id) return false;
    if (r.id === response.id) return true;
    return !!key && normalise(r.group_name).toLowerCase() === key;
  });
  const ids = new Set(inGroup.map((r) => r.id));
  const relied = all.filter((r) => r.relied_upon_by_id && ids.has(r.relied_upon_by_id));
  const members: GroupMember[] = [...inGroup, ...relied].map((r) => ({
    responseId: r.id, number: r.number, operatorName: r.operator_name, operatorIdentifier: r.operator_identifier, groupName: r.group_name, role: r.group_role,
    status: r.status, reliedUponByNumber: r.relied_upon_by_id ? (byId.get(r.relied_upon_by_id)?.number ?? null) : null,
  }));
  return { groupName: response.group_name, members, checks: response.group_name ? checkGroupement(members) : [] };
}
