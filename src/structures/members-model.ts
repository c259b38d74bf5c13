import { SPACES, type AccessLevel, type SpaceCode } from './model.ts';

/** The spaces that exist for a structure of this kind (received invoices and engagements: public only). */
export const spacesOfKind = (kind: 'PRIVEE' | 'PUBLIQUE'): SpaceCode[] =>
  SPACES.filter((s) => s.forKind === 'ALL' || s.forKind === kind).map((s) => s.code);

/** What a technical account may do: deposit and receive invoices through the API. */
export function technicalAccountSpaces(kind: 'PRIVEE' | 'PUBLIQUE'): Array<{ space: SpaceCode; access: AccessLevel }> {
  const spaces: SpaceCode[] = kind === 'PUBLIQUE' ? ['FACTURES_EMISES', 'FACTURES_RECUES', 'RACCORDEMENT_API'] : ['FACTURES_EMISES', 'RACCORDEMENT_API'];
  return spaces.map((space) => ({ space, access: 'MODIFICATION' }));
}

/** French texts of the notifications and mails about rattachements. */
export const memberMails = {
  requested: (structure: string, requester: string, message: string | null) => ({
    subject: `Nouvelle demande de rattachement à ${structure}`,
    text: `Bonjour,\n\n${requester} demande à être rattaché(e) à la structure ${structure}.${message ? `\n\nSon message : « ${message} »` : ''}\n\nEn tant que gestionnaire principal, vous pouvez approuver ou refuser cette demande depuis la page « Utilisateurs » de la structure.\n`,
  }),
  approved: (structure: string) => ({
    subject: `Rattachement validé : ${structure}`,
    text: `Bonjour,\n\nVotre demande de rattachement à la structure ${structure} a été validée par son gestionnaire principal. Vous pouvez dès à présent accéder à ses espaces.\n`,
  }),
  refused: (structure: string, reason: string) => ({
    subject: `Rattachement refusé : ${structure}`,
    text: `Bonjour,\n\nVotre demande de rattachement à la structure ${structure} a été refusée par son gestionnaire principal.\n\nMotif : ${reason}\n\nVous pouvez présenter une nouvelle demande.\n`,
  }),
  attached: (structure: string) => ({
    subject: `Vous êtes rattaché(e) à ${structure}`,
    text: `Bonjour,\n\nLe gestionnaire principal de la structure ${structure} vous y a rattaché(e). Vous pouvez dès à présent accéder à ses espaces.\n`,
  }),
  detached: (structure: string) => ({
    subject: `Fin de votre rattachement à ${structure}`,
    text: `Bonjour,\n\nLe gestionnaire principal de la structure ${structure} a mis fin à votre rattachement. Vous n'avez plus accès à cette structure.\n`,
  }),
  becamePrincipal: (structure: string) => ({
    subject: `Vous êtes gestionnaire principal de ${structure}`,
    text: `Bonjour,\n\nLe rôle de gestionnaire principal de la structure ${structure} vous a été transféré. Vous validez désormais les demandes de rattachement et gérez les droits des utilisateurs.\n`,
  }),
  lostPrincipal: (structure: string, to: string) => ({
    subject: `Transfert du rôle de gestionnaire principal de ${structure}`,
    text: `Bonjour,\n\nVous avez transféré le rôle de gestionnaire principal de la structure ${structure} à ${to}. Vous restez utilisateur de la structure, avec tous vos droits en modification.\n`,
  }),
};
