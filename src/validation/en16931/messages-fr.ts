/**
 * French messages of the EN 16931 rules, naming fields the way an accounts clerk knows them.
 * Core rules have a written message; families (VAT categories, decimals, code lists, syntax) are built
 * from templates and the French name of each business term (BT) the official message cites.
 */

/** French names of the business terms of EN 16931 (norme NF EN 16931-1, vocabulaire Factur-X). */
const BT: Record<number, string> = {
  1: 'le numéro de facture', 2: "la date d'émission", 3: 'le type de facture', 5: 'la devise de la facture',
  6: 'la devise de comptabilisation de la TVA', 7: "la date d'exigibilité de la TVA", 8: "le code de date d'exigibilité de la TVA",
  9: "la date d'échéance", 10: "la référence de l'acheteur (code service)", 13: 'le numéro de bon de commande (engagement juridique)',
  17: "la référence de l'appel d'offres ou du lot", 20: 'les conditions de paiement', 24: "l'identifiant de spécification (profil)",
  25: 'la référence de la facture antérieure', 27: 'la raison sociale du vendeur', 29: "l'identifiant du vendeur",
  30: "l'identifiant légal du vendeur (SIREN/SIRET)", 31: 'le numéro de TVA du vendeur', 32: "l'identifiant fiscal du vendeur",
  34: "l'adresse électronique du vendeur", 40: 'le code pays du vendeur', 44: "la raison sociale de l'acheteur",
  47: "l'identifiant légal de l'acheteur", 48: "le numéro de TVA de l'acheteur", 49: "l'adresse électronique de l'acheteur",
  55: "le code pays de l'acheteur", 59: 'le nom du bénéficiaire du paiement', 62: 'le nom du représentant fiscal du vendeur',
  63: 'le numéro de TVA du représentant fiscal', 69: 'le code pays du représentant fiscal', 72: 'la date de livraison effective',
  73: 'la date de début de la période de facturation', 74: 'la date de fin de la période de facturation', 80: 'le code pays de livraison',
  81: 'le code du moyen de paiement', 84: 'le numéro de compte de paiement (IBAN)', 87: 'le numéro de carte de paiement',
  92: 'le montant de la remise au niveau du document', 93: 'la base de la remise au niveau du document',
  95: 'le code de catégorie de TVA de la remise', 96: 'le taux de TVA de la remise', 97: 'le motif de la remise', 98: 'le code du motif de la remise',
  99: 'le montant des frais au niveau du document', 100: 'la base des frais au niveau du document',
  102: 'le code de catégorie de TVA des frais', 103: 'le taux de TVA des frais', 104: 'le motif des frais', 105: 'le code du motif des frais',
  106: 'la somme des montants nets des lignes', 107: 'la somme des remises au niveau du document', 108: 'la somme des frais au niveau du document',
  109: 'le montant total hors TVA', 110: 'le montant total de la TVA', 111: 'le montant total de la TVA en devise de comptabilisation',
  112: 'le montant total TTC', 113: 'le montant déjà payé', 114: "le montant d'arrondi", 115: 'le montant net à payer',
  116: 'la base imposable de la catégorie de TVA', 117: 'le montant de TVA de la catégorie', 118: 'le code de catégorie de TVA',
  119: 'le taux de TVA de la catégorie', 120: "le motif d'exonération de TVA", 121: "le code du motif d'exonération de TVA",
  122: 'la référence du document joint', 126: 'le numéro de ligne', 129: 'la quantité facturée', 130: "l'unité de mesure de la quantité facturée",
  131: 'le montant net de la ligne', 134: 'la date de début de la période de la ligne', 135: 'la date de fin de la période de la ligne',
  136: 'le montant de la remise sur la ligne', 137: 'la base de la remise sur la ligne', 139: 'le motif de la remise sur la ligne',
  140: 'le code du motif de la remise sur la ligne', 141: 'le montant des frais sur la ligne', 142: 'la base des frais sur la ligne',
  144: 'le motif des frais sur la ligne', 145: 'le code du motif des frais sur la ligne', 146: "le prix net de l'article",
  148: "le prix brut de l'article", 151: "le code de catégorie de TVA de l'article", 152: "le taux de TVA de l'article",
  153: "le nom de l'article", 157: "l'identifiant normalisé de l'article", 158: "le code de classification de l'article",
  160: "le nom de l'attribut de l'article", 161: "la valeur de l'attribut de l'article",
};

const BG: Record<number, string> = {
  3: 'la référence à une facture antérieure', 5: "l'adresse du vendeur", 8: "l'adresse de l'acheteur", 10: 'le bénéficiaire du paiement',
  11: 'le représentant fiscal du vendeur', 12: "l'adresse du représentant fiscal", 14: 'la période de facturation', 15: "l'adresse de livraison",
  16: 'les instructions de paiement', 17: 'le virement', 18: 'la carte de paiement', 20: 'une remise au niveau du document',
  21: 'des frais au niveau du document', 23: 'le détail de la TVA', 24: 'un document joint', 25: 'une ligne de facture',
  26: 'la période de la ligne', 27: 'une remise sur la ligne', 28: 'des frais sur la ligne', 32: "un attribut de l'article",
};

const CATEGORY: Record<string, string> = {
  S: 'taux normal (S)', Z: 'taux zéro (Z)', E: 'exonéré de TVA (E)', AE: 'autoliquidation (AE)', IC: 'livraison intracommunautaire (K)',
  G: "exportation hors de l'UE (G)", O: 'hors champ de la TVA (O)', AF: 'IGIC des Canaries (L)', AG: 'IPSI de Ceuta et Melilla (M)',
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const bt = (n: number) => `${BT[n] ?? 'la donnée'} (BT-${n})`;

/** Written messages of the core rules. */
const CORE: Record<string, string> = {
  'BR-01': `${cap(bt(24))} est obligatoire.`,
  'BR-02': `Le numéro de facture (BT-1) est obligatoire.`,
  'BR-03': `${cap(bt(2))} est obligatoire.`,
  'BR-04': `${cap(bt(3))} est obligatoire.`,
  'BR-05': `${cap(bt(5))} est obligatoire.`,
  'BR-06': `${cap(bt(27))} est obligatoire.`,
  'BR-07': `${cap(bt(44))} est obligatoire.`,
  'BR-08': `L'adresse postale du vendeur (BG-5) est obligatoire.`,
  'BR-09': `${cap(bt(40))} est obligatoire dans l'adresse du vendeur.`,
  'BR-10': `L'adresse postale de l'acheteur (BG-8) est obligatoire.`,
  'BR-11': `${cap(bt(55))} est obligatoire dans l'adresse de l'acheteur.`,
  'BR-12': `${cap(bt(106))} est obligatoire.`,
  'BR-13': `${cap(bt(109))} est obligatoire.`,
  'BR-14': `${cap(bt(112))} est obligatoire.`,
  'BR-15': `${cap(bt(115))} est obligatoire.`,
  'BR-16': `La facture doit comporter au moins une ligne (BG-25).`,
  'BR-17': `${cap(bt(59))} est obligatoire lorsque le bénéficiaire du paiement est différent du vendeur.`,
  'BR-18': `${cap(bt(62))} est obligatoire lorsque le vendeur a un représentant fiscal.`,
  'BR-19': `L'adresse du représentant fiscal (BG-12) est obligatoire lorsque le vendeur a un représentant fiscal.`,
  'BR-20': `${cap(bt(69))} est obligatoire dans l'adresse du représentant fiscal.`,
  'BR-21': `Chaque ligne de facture doit avoir ${bt(126)}.`,
  'BR-22': `Chaque ligne de facture doit avoir ${bt(129)}.`,
  'BR-23': `Chaque ligne de facture doit avoir ${bt(130)}.`,
  'BR-24': `Chaque ligne de facture doit avoir ${bt(131)}.`,
  'BR-25': `Chaque ligne de facture doit avoir ${bt(153)}.`,
  'BR-26': `Chaque ligne de facture doit avoir ${bt(146)}.`,
  'BR-27': `${cap(bt(146))} ne doit pas être négatif.`,
  'BR-28': `${cap(bt(148))} ne doit pas être négatif.`,
  'BR-29': `${cap(bt(74))} doit être postérieure ou égale à ${bt(73)}.`,
  'BR-30': `${cap(bt(135))} doit être postérieure ou égale à ${bt(134)}.`,
  'BR-31': `Chaque remise au niveau du document doit avoir ${bt(92)}.`,
  'BR-32': `Chaque remise au niveau du document doit avoir ${bt(95)}.`,
  'BR-33': `Chaque remise au niveau du document doit avoir ${bt(97)} ou ${bt(98)}.`,
  'BR-36': `Chaque frais au niveau du document doit avoir ${bt(99)}.`,
  'BR-37': `Chaque frais au niveau du document doit avoir ${bt(102)}.`,
  'BR-38': `Chaque frais au niveau du document doit avoir ${bt(104)} ou ${bt(105)}.`,
  'BR-41': `Chaque remise sur une ligne doit avoir ${bt(136)}.`,
  'BR-42': `Chaque remise sur une ligne doit avoir ${bt(139)} ou ${bt(140)}.`,
  'BR-43': `Chaque frais sur une ligne doit avoir ${bt(141)}.`,
  'BR-44': `Chaque frais sur une ligne doit avoir ${bt(144)} ou ${bt(145)}.`,
  'BR-45': `Chaque ligne du détail de la TVA doit avoir ${bt(116)}.`,
  'BR-46': `Chaque ligne du détail de la TVA doit avoir ${bt(117)}.`,
  'BR-47': `Chaque ligne du détail de la TVA doit avoir ${bt(118)}.`,
  'BR-48': `Chaque ligne du détail de la TVA doit avoir ${bt(119)}, sauf si la facture est hors champ de la TVA.`,
  'BR-49': `Les instructions de paiement doivent indiquer ${bt(81)}.`,
  'BR-50': `${cap(bt(84))} est obligatoire pour un virement.`,
  'BR-51': `La facture ne doit pas contenir le numéro complet de la carte de paiement (BT-87) : au plus les 6 premiers et les 4 derniers chiffres.`,
  'BR-52': `Chaque document joint doit avoir ${bt(122)}.`,
  'BR-53': `${cap(bt(111))} est obligatoire lorsque ${bt(6)} est indiquée.`,
  'BR-54': `Chaque attribut d'article doit avoir ${bt(160)} et ${bt(161)}.`,
  'BR-55': `Chaque référence à une facture antérieure doit indiquer ${bt(25)}.`,
  'BR-56': `Le représentant fiscal doit avoir ${bt(63)}.`,
  'BR-57': `L'adresse de livraison doit indiquer ${bt(80)}.`,
  'BR-61': `${cap(bt(84))} est obligatoire pour un virement (codes 30 et 58).`,
  'BR-62': `${cap(bt(34))} doit indiquer son schéma d'identification.`,
  'BR-63': `${cap(bt(49))} doit indiquer son schéma d'identification.`,
  'BR-64': `${cap(bt(157))} doit indiquer son schéma d'identification.`,
  'BR-65': `${cap(bt(158))} doit indiquer son schéma d'identification.`,
  'BR-CO-03': `${cap(bt(7))} et ${bt(8)} ne peuvent pas être indiqués ensemble.`,
  'BR-CO-04': `Chaque ligne de facture doit indiquer ${bt(151)}.`,
  'BR-CO-09': `Les numéros de TVA (BT-31, BT-48, BT-63) doivent commencer par le code pays ISO 3166-1 (EL pour la Grèce).`,
  'BR-CO-10': `${cap(bt(106))} doit être égale à la somme des montants nets des lignes (BT-131).`,
  'BR-CO-11': `${cap(bt(107))} doit être égale à la somme des remises au niveau du document (BT-92).`,
  'BR-CO-12': `${cap(bt(108))} doit être égale à la somme des frais au niveau du document (BT-99).`,
  'BR-CO-13': `${cap(bt(109))} doit être égal à la somme des lignes (BT-106) moins les remises (BT-107) plus les frais (BT-108).`,
  'BR-CO-14': `${cap(bt(110))} doit être égal à la somme des montants de TVA par catégorie (BT-117).`,
  'BR-CO-15': `${cap(bt(112))} doit être égal au total hors TVA (BT-109) plus le total de la TVA (BT-110).`,
  'BR-CO-16': `${cap(bt(115))} doit être égal au total TTC (BT-112) moins le montant déjà payé (BT-113) plus l'arrondi (BT-114).`,
  'BR-CO-17': `${cap(bt(117))} doit être égal à la base imposable (BT-116) multipliée par le taux (BT-119), arrondi à deux décimales.`,
  'BR-CO-18': `La facture doit comporter au moins une ligne de détail de la TVA (BG-23).`,
  'BR-CO-19': `Si la période de facturation (BG-14) est indiquée, sa date de début (BT-73) ou de fin (BT-74) est obligatoire.`,
  'BR-CO-20': `Si la période de la ligne (BG-26) est indiquée, sa date de début (BT-134) ou de fin (BT-135) est obligatoire.`,
  'BR-CO-21': `Chaque remise au niveau du document doit avoir un motif (BT-97) ou un code de motif (BT-98).`,
  'BR-CO-22': `Chaque frais au niveau du document doit avoir un motif (BT-104) ou un code de motif (BT-105).`,
  'BR-CO-23': `Chaque remise sur une ligne doit avoir un motif (BT-139) ou un code de motif (BT-140).`,
  'BR-CO-24': `Chaque frais sur une ligne doit avoir un motif (BT-144) ou un code de motif (BT-145).`,
  'BR-CO-26': `Le vendeur doit être identifié par son identifiant (BT-29), son identifiant légal (BT-30) ou son numéro de TVA (BT-31).`,
  'BR-B-01': `Une facture avec la catégorie de TVA « paiement fractionné » (B) doit être une facture domestique italienne.`,
  'BR-B-02': `Une facture avec la catégorie de TVA « paiement fractionné » (B) ne peut pas contenir la catégorie « taux normal » (S).`,
};

function family(id: string, official: string): string | undefined {
  const m = /^BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)$/.exec(id);
  if (!m) return undefined;
  const cat = CATEGORY[m[1]];
  switch (m[2]) {
    case '01':
      return `Une facture utilisant la catégorie de TVA « ${cat} » doit la reprendre dans le détail de la TVA (BG-23).`;
    case '02':
    case '03':
    case '04': {
      const where = m[2] === '02' ? 'une ligne' : m[2] === '03' ? 'une remise au niveau du document' : 'des frais au niveau du document';
      if (m[1] === 'O') return `Avec la catégorie « ${cat} » sur ${where}, la facture ne doit contenir aucun numéro de TVA (vendeur, représentant fiscal, acheteur).`;
      if (m[1] === 'AE' || m[1] === 'IC') return `Avec la catégorie « ${cat} » sur ${where}, les numéros de TVA du vendeur (ou de son représentant fiscal) et de l'acheteur sont obligatoires.`;
      return `Avec la catégorie « ${cat} » sur ${where}, le numéro de TVA ou l'identifiant fiscal du vendeur (ou de son représentant fiscal) est obligatoire.`;
    }
    case '05':
    case '06':
    case '07': {
      const where = m[2] === '05' ? "de l'article (BT-152)" : m[2] === '06' ? 'de la remise (BT-96)' : 'des frais (BT-103)';
      if (m[1] === 'S') return `Avec la catégorie « ${cat} », le taux de TVA ${where} doit être supérieur à zéro.`;
      if (m[1] === 'O') return `Avec la catégorie « ${cat} », le taux de TVA ${where} ne doit pas être indiqué.`;
      if (m[1] === 'AF' || m[1] === 'AG') return `Avec la catégorie « ${cat} », le taux de TVA ${where} doit être positif ou nul.`;
      return `Avec la catégorie « ${cat} », le taux de TVA ${where} doit être égal à zéro.`;
    }
    case '08':
      return `Pour la catégorie « ${cat} », la base imposable (BT-116) doit être égale à la somme des lignes, moins les remises, plus les frais de cette catégorie.`;
    case '09':
      return ['S', 'AF', 'AG'].includes(m[1])
        ? `Pour la catégorie « ${cat} », le montant de TVA (BT-117) doit être égal à la base imposable multipliée par le taux.`
        : `Pour la catégorie « ${cat} », le montant de TVA (BT-117) doit être égal à zéro.`;
    case '10':
      return ['S', 'Z', 'AF', 'AG'].includes(m[1])
        ? `La catégorie « ${cat} » ne doit pas avoir de motif d'exonération (BT-120, BT-121).`
        : `La catégorie « ${cat} » doit avoir un motif d'exonération (BT-120) ou son code (BT-121).`;
    case '11':
      return m[1] === 'O'
        ? `Une facture hors champ de la TVA ne doit pas contenir d'autre catégorie de TVA dans son détail.`
        : `Pour une livraison intracommunautaire, la date de livraison (BT-72) ou la période de facturation (BG-14) est obligatoire.`;
    case '12':
      return m[1] === 'O'
        ? `Une facture hors champ de la TVA ne doit pas contenir de ligne d'une autre catégorie.`
        : `Pour une livraison intracommunautaire, le code pays de livraison (BT-80) est obligatoire.`;
    case '13':
      return `Une facture hors champ de la TVA ne doit pas contenir de remise d'une autre catégorie.`;
    case '14':
      return `Une facture hors champ de la TVA ne doit pas contenir de frais d'une autre catégorie.`;
  }
  void official;
  return undefined;
}

export function frenchMessage(id: string, official: string): string {
  const core = CORE[id];
  if (core) return core;
  const fam = family(id, official);
  if (fam) return fam;
  const bts = [...official.matchAll(/\(BT-(\d+)\)/g)].map((m) => Number(m[1]));
  if (id.startsWith('BR-DEC-') && bts.length) return `${cap(bt(bts[0]))} ne doit pas avoir plus de deux décimales.`;
  if (id.startsWith('BR-CL-')) return `Code non reconnu : la valeur doit appartenir à la liste de codes prévue par la norme (${official.replace(/^\[[^\]]+\]\s*-\s*/, '')}).`;
  if (id.startsWith('UBL-CR-') || /should not be (present|used)|shall not be used/.test(official)) {
    const what = official.replace(/^\[[^\]]+\]\s*-\s*/, '').replace(/^A UBL invoice should not include (the )?/, '').replace(/ (should not be present|shall not be used)\.?$/, '');
    return `Élément non prévu par la norme EN 16931, à retirer de la facture : ${what}.`;
  }
  if (/maximum once|at most/.test(official)) {
    return `Donnée répétée alors qu'elle ne peut figurer qu'une fois : ${official.replace(/^\[[^\]]+\]\s*-\s*/, '')}.`;
  }
  const bgs = [...official.matchAll(/\(BG-(\d+)\)/g)].map((m) => Number(m[1]));
  const fields = [...bts.map((n) => bt(n)), ...bgs.map((n) => `${BG[n] ?? 'le groupe'} (BG-${n})`)];
  return fields.length
    ? `Règle ${id} non respectée, à vérifier : ${fields.join(', ')}.`
    : `Règle ${id} non respectée : ${official.replace(/^\[[^\]]+\]\s*-\s*/, '')}`;
}
