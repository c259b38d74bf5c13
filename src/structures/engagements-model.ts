/** States of an engagement juridique (legal commitment), as the Chorus Pro API names them. */
export const ENGAGEMENT_STATES = ['A_TRAITER', 'COMMANDE', 'CLOTURE', 'ANNULE'] as const;
export type EngagementState = (typeof ENGAGEMENT_STATES)[number];

export const ENGAGEMENT_STATE_LABELS: Record<EngagementState, string> = {
  A_TRAITER: 'À traiter',
  COMMANDE: 'Commandé',
  CLOTURE: 'Clôturé',
  ANNULE: 'Annulé',
};

/** An EJ number: up to 50 characters (the length Chorus Pro accepts for a purchase-order reference). */
export const ENGAGEMENT_NUMBER = /^[A-Za-z0-9][A-Za-z0-9_\-./]{0,49}$/;
