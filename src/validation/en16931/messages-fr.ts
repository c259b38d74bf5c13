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
  'BR-CO-05': `Le code du motif de la remise (BT-98) et le motif de la remise (BT-97) doivent désigner le même type de remise.`,
  'BR-CO-06': `Le code du motif des frais (BT-105) et le motif des frais (BT-104) doivent désigner le même type de frais.`,
  'BR-CO-07': `Sur une ligne, le code du motif de la remise (BT-140) et son motif (BT-139) doivent désigner le même type de remise.`,
  'BR-CO-08': `Sur une ligne, le code du motif des frais (BT-145) et son motif (BT-144) doivent désigner le même type de frais.`,
  'BR-CO-21': `Chaque remise au niveau du document doit avoir un motif (BT-97) ou un code de motif (BT-98).`,
  'BR-CO-22': `Chaque frais au niveau du document doit avoir un motif (BT-104) ou un code de motif (BT-105).`,
  'BR-CO-23': `Chaque remise sur une ligne doit avoir un motif (BT-139) ou un code de motif (BT-140).`,
  'BR-CO-24': `Chaque frais sur une ligne doit avoir un motif (BT-144) ou un code de motif (BT-145).`,
  'BR-CO-26': `Le vendeur doit être identifié par son identifiant (BT-29), son identifiant légal (BT-30) ou son numéro de TVA (BT-31).`,
  'BR-B-01': `Une facture avec la catégorie de TVA « paiement fractionné » (B) sur une ligne, une remise ou des frais (BT-151, BT-95, BT-102) doit être une facture domestique italienne.`,
  'BR-B-02': `Une facture avec la catégorie de TVA « paiement fractionné » (B) (BT-151, BT-95, BT-102) ne peut pas contenir la catégorie « taux normal » (S).`,
};

/** Code lists (BR-CL-*): the field whose code is checked, and the list it must come from. */
const CODE_LISTS: Record<string, string> = {
  'BR-CL-01': `${cap(bt(3))} doit être un code de la liste UNTDID 1001 des factures et avoirs (par exemple 380 facture, 381 avoir, 384 facture rectificative, 389 autofacture).`,
  'BR-CL-03': `La devise d'un montant (attribut currencyID, par exemple celle du montant total de la TVA, BT-110) doit être un code ISO 4217 à trois lettres (EUR, USD…).`,
  'BR-CL-04': `${cap(bt(5))} doit être un code ISO 4217 à trois lettres (EUR, USD…).`,
  'BR-CL-05': `${cap(bt(6))} doit être un code ISO 4217 à trois lettres (EUR, USD…).`,
  'BR-CL-06': `${cap(bt(8))} doit être un code de la liste prévue par la norme (UNTDID 2005 en UBL : 3, 35, 432 ; UNTDID 2475 en CII : 5, 29, 72).`,
  'BR-CL-07': `Le type de l'identifiant de l'objet facturé (BT-18, attribut du schéma) doit être un code de la liste UNTDID 1153.`,
  'BR-CL-08': `Le code du sujet de la note de la facture (BT-21) doit être un code de la liste UNTDID 4451 (par exemple AAB, PMT, PMD).`,
  'BR-CL-10': `Le schéma d'un identifiant (vendeur BT-29, acheteur BT-46, bénéficiaire BT-60…) doit être un code ISO 6523 (par exemple 0009 pour le SIRET, 0002 pour le SIREN).`,
  'BR-CL-11': `Le schéma d'un identifiant légal (vendeur BT-30, acheteur BT-47…) doit être un code ISO 6523 (par exemple 0009 pour le SIRET, 0002 pour le SIREN).`,
  'BR-CL-13': `Le schéma du code de classification de l'article (BT-158) doit être un code de la liste UNTDID 7143.`,
  'BR-CL-14': `Un code pays (vendeur BT-40, acheteur BT-55, livraison BT-80…) doit être un code ISO 3166-1 à deux lettres (FR, DE…).`,
  'BR-CL-15': `Le pays d'origine de l'article (BT-159) doit être un code ISO 3166-1 à deux lettres (FR, DE…).`,
  'BR-CL-16': `${cap(bt(81))} doit être un code de la liste UNTDID 4461 (par exemple 30 virement, 58 virement SEPA, 59 prélèvement SEPA).`,
  'BR-CL-17': `Le code de catégorie de TVA d'une remise ou de frais (BT-95, BT-102) doit être un code de la liste UNTDID 5305 (S, Z, E, AE, K, G, O, L, M, B).`,
  'BR-CL-18': `Le code de catégorie de TVA (BT-118 ou BT-151) doit être un code de la liste UNTDID 5305 (S, Z, E, AE, K, G, O, L, M, B).`,
  'BR-CL-19': `Le code du motif de la remise (BT-98 ou BT-140) doit être un code de la liste UNTDID 5189.`,
  'BR-CL-20': `Le code du motif des frais (BT-105 ou BT-145) doit être un code de la liste UNTDID 7161.`,
  'BR-CL-21': `Le schéma de l'identifiant normalisé de l'article (BT-157) doit être un code ISO 6523 (par exemple 0160 pour le GTIN).`,
  'BR-CL-22': `${cap(bt(121))} doit être un code de la liste VATEX (par exemple VATEX-EU-AE, VATEX-FR-FRANCHISE).`,
  'BR-CL-23': `L'unité de mesure (BT-130 ou BT-150) doit être un code de la recommandation UN/ECE 20 ou 21 (par exemple C62 unité, HUR heure, KGM kilogramme).`,
  'BR-CL-24': `Le type MIME d'un document joint (BT-125) doit être application/pdf, image/png, image/jpeg, text/csv, ou un tableur (xlsx, ods).`,
  'BR-CL-25': `Le schéma de l'adresse électronique (BT-34 ou BT-49) doit être un code de la liste EAS (par exemple 0009 SIRET, 0225 adresse française, EM courriel).`,
  'BR-CL-26': `Le schéma de l'identifiant du lieu de livraison (BT-71) doit être un code ISO 6523.`,
};

/** Cardinalities of the syntax bindings (UBL-SR, CII-SR): the field, by its name and BT/BG number. */
const ONCE: Record<string, string> = {
  'UBL-SR-01': 'la référence du contrat (BT-12)', 'UBL-SR-02': "la référence de l'avis de réception (BT-15)",
  'UBL-SR-03': "la référence de l'avis d'expédition (BT-16)", 'UBL-SR-04': "l'identifiant de l'objet facturé (BT-18)",
  'UBL-SR-05': 'les conditions de paiement (BT-20)', 'UBL-SR-06': 'la référence à une facture antérieure (BG-3)',
  'UBL-SR-08': 'la période de facturation (BG-14)', 'UBL-SR-09': 'la raison sociale du vendeur (BT-27)',
  'UBL-SR-10': 'le nom commercial du vendeur (BT-28)', 'UBL-SR-11': "l'identifiant légal du vendeur (BT-30)",
  'UBL-SR-12': 'le numéro de TVA du vendeur (BT-31)', 'UBL-SR-13': "l'identifiant fiscal du vendeur (BT-32)",
  'UBL-SR-14': 'les informations juridiques complémentaires du vendeur (BT-33)', 'UBL-SR-15': "la raison sociale de l'acheteur (BT-44)",
  'UBL-SR-16': "l'identifiant de l'acheteur (BT-46)", 'UBL-SR-17': "l'identifiant légal de l'acheteur (BT-47)",
  'UBL-SR-18': "le numéro de TVA de l'acheteur (BT-48)", 'UBL-SR-19': 'le nom du bénéficiaire du paiement (BT-59)',
  'UBL-SR-20': "l'identifiant du bénéficiaire du paiement (BT-60)", 'UBL-SR-21': "l'identifiant légal du bénéficiaire du paiement (BT-61)",
  'UBL-SR-22': 'le nom du représentant fiscal (BT-62)', 'UBL-SR-23': 'le numéro de TVA du représentant fiscal (BT-63)',
  'UBL-SR-24': 'les informations de livraison (BG-13)', 'UBL-SR-25': 'le nom du destinataire de la livraison (BT-70)',
  'UBL-SR-26': 'la référence de paiement (BT-83)', 'UBL-SR-27': 'le libellé du moyen de paiement (BT-82)',
  'UBL-SR-28': 'la référence du mandat de prélèvement (BT-89)', 'UBL-SR-29': "l'identifiant créancier SEPA (BT-90)",
  'UBL-SR-30': 'le motif de la remise au niveau du document (BT-97)', 'UBL-SR-31': 'le motif des frais au niveau du document (BT-104)',
  'UBL-SR-32': "le motif d'exonération de TVA (BT-120)", 'UBL-SR-33': 'la description du document joint (BT-123)',
  'UBL-SR-34': 'la note de la ligne (BT-127)', 'UBL-SR-35': 'la référence de la ligne de commande (BT-132)',
  'UBL-SR-36': 'la période de la ligne (BG-26)', 'UBL-SR-37': "la remise sur le prix de l'article (BT-147)",
  'UBL-SR-39': 'la référence du projet (BT-11)', 'UBL-SR-40': "le nom commercial de l'acheteur (BT-45)",
  'UBL-SR-45': "la date d'échéance (BT-9)", 'UBL-SR-46': 'le libellé du moyen de paiement (BT-82)',
  'UBL-SR-49': "le code de date d'exigibilité de la TVA (BT-8)", 'UBL-SR-50': "la description de l'article (BT-154)",
  'UBL-SR-51': "la troisième ligne d'adresse (BT-162, BT-165…)", 'UBL-SR-52': 'la référence du document joint à la ligne (BT-128)',
  'UBL-SR-54': 'la carte de paiement (BG-18)', 'UBL-SR-55': 'le mandat de prélèvement (BG-19)',
  'UBL-SR-56': "la référence de l'appel d'offres ou du lot (BT-17)",
  'CII-SR-003': 'le type de processus métier (BT-23)', 'CII-SR-030': 'le texte de la note de la facture (BT-22)',
  'CII-SR-039': 'la note de la ligne (BT-127)', 'CII-SR-040': 'le texte de la note de la ligne (BT-127)',
  'CII-SR-439': "le prix net de l'article (BT-146)", 'CII-SR-440': "la remise sur le prix de l'article (BT-147)",
  'CII-SR-441': "le prix net de l'article (BT-146)", 'CII-SR-452': 'les conditions de paiement (BT-20)',
  'CII-SR-453': 'le texte des conditions de paiement (BT-20)', 'CII-SR-455': 'le contact du vendeur (BG-6)',
  'CII-SR-456': "le contact de l'acheteur (BG-9)", 'CII-SR-457': "le document joint de type 50 (référence de l'appel d'offres, BT-17)",
  'CII-SR-458': "l'identifiant de l'objet facturé (BT-18, document de type 130)", 'CII-SR-459': "l'adresse électronique du vendeur (BT-34)",
  'CII-SR-460': "l'adresse électronique de l'acheteur (BT-49)", 'CII-SR-461': "la date d'exigibilité de la TVA (BT-7)",
  'CII-SR-465': 'le nom du contact du vendeur (BT-41)', 'CII-SR-466': "le nom du contact de l'acheteur (BT-56)",
  'CII-SR-469': 'la référence de paiement (BT-83)', 'CII-SR-473': 'le montant de la remise ou des frais (BT-92, BT-99)',
  'CII-SR-474': "l'identifiant d'objet facturé de la ligne (BT-128, type 130)", 'CII-SR-475': 'le nom du document joint (BT-123, type 916)',
  'CII-SR-476': 'le fichier joint (BT-125, type 916)', 'CII-SR-477': 'la somme des montants nets des lignes (BT-106)',
  'CII-SR-478': 'la somme des frais au niveau du document (BT-108)', 'CII-SR-479': 'la somme des remises au niveau du document (BT-107)',
  'CII-SR-480': 'le montant total hors TVA (BT-109)', 'CII-SR-481': "le montant d'arrondi (BT-114)", 'CII-SR-482': 'le montant total TTC (BT-112)',
  'CII-SR-483': 'le montant informatif (InformationAmount)', 'CII-SR-484': 'le montant déjà payé (BT-113)',
  'CII-SR-485': 'le montant total de remise (TotalDiscountAmount)', 'CII-SR-486': 'le total des remises et frais (TotalAllowanceChargeAmount)',
  'CII-SR-487': 'le montant net à payer (BT-115)', 'CII-SR-488': 'la valeur hors taxe (RetailValueExcludingTaxInformationAmount)',
  'CII-SR-489': 'le total des consignes (TotalDepositFeeInformationAmount)', 'CII-SR-490': 'la valeur hors taxe tabac (ProductValueExcludingTobaccoTaxInformationAmount)',
  'CII-SR-491': 'la valeur de détail totale (TotalRetailValueInformationAmount)', 'CII-SR-492': 'le montant brut des lignes (GrossLineTotalAmount)',
  'CII-SR-493': 'le montant net des lignes (NetLineTotalAmount)', 'CII-SR-494': 'le montant TTC des lignes (NetIncludingTaxesLineTotalAmount)',
  'CII-SR-069': "le nom de l'attribut de l'article (BT-160)", 'CII-SR-072': "la valeur de l'attribut de l'article (BT-161)",
  'CII-SR-090': "le pays d'origine de l'article (BT-159)", 'CII-SR-454': 'la catégorie de TVA de la ligne (BT-151)',
};

/** Syntax rules that are neither "not used" nor a cardinality. */
const SYNTAX: Record<string, string> = {
  'UBL-CR-002': 'La version UBL (UBLVersionID), si elle est indiquée, doit être 2.1.',
  'UBL-SR-07': 'Une référence à une facture antérieure (BG-3) doit contenir le numéro de cette facture (BT-25).',
  'UBL-SR-42': "Le vendeur ne peut avoir que deux régimes fiscaux (numéro de TVA BT-31 et identifiant fiscal BT-32).",
  'UBL-SR-43': "Le schéma d'identification n'est autorisé que pour l'identifiant de l'objet facturé (BT-18, type 130) ou la référence de l'appel d'offres (BT-17, type 50).",
  'UBL-SR-44': 'La référence de paiement (BT-83) doit être la même pour tous les moyens de paiement.',
  'UBL-SR-47': 'Tous les codes de moyen de paiement (BT-81) doivent être identiques.',
  'UBL-SR-48': "Chaque ligne doit avoir exactement une catégorie de TVA de l'article (BT-151).",
  'UBL-SR-53': 'Le numéro de TVA ou identifiant fiscal (BT-31, BT-32, BT-48, BT-63) doit être indiqué avec son régime fiscal.',
  'UBL-DT-01': 'Un montant ne doit pas avoir plus de deux décimales.',
  'UBL-DT-06': "Un document joint (BT-125) doit indiquer son type MIME (attribut mimeCode).",
  'UBL-DT-07': "Un document joint (BT-125) doit indiquer son nom de fichier (attribut filename).",
  'CII-SR-009': "Le contexte du document doit contenir exactement une fois l'identifiant de spécification (BT-24).",
  'CII-SR-010': "L'identifiant de spécification (BT-24) doit figurer exactement une fois.",
  'CII-SR-014': 'Le type de facture (BT-3) doit figurer exactement une fois.',
  'CII-SR-046': "L'identifiant normalisé de l'article (BT-157) doit indiquer son schéma (attribut schemeID).",
  'CII-SR-119': "Seules des remises (pas des frais) peuvent figurer sur le prix brut de l'article (BT-147), avec leur montant.",
  'CII-SR-449': "Le lieu de livraison ne doit avoir qu'un identifiant (BT-71) : ID ou GlobalID, pas les deux.",
  'CII-SR-450': "L'acheteur ne doit avoir qu'un identifiant (BT-46) : ID ou GlobalID, pas les deux.",
  'CII-SR-451': "Le bénéficiaire du paiement ne doit avoir qu'un identifiant (BT-60) : ID ou GlobalID, pas les deux.",
  'CII-SR-462': "Le code de date d'exigibilité de la TVA (BT-8) doit avoir la même valeur dans tout le détail de la TVA.",
  'CII-SR-463': 'Chaque remise ou frais (BG-20, BG-21, BG-27, BG-28) doit indiquer si c\'est une remise ou des frais (ChargeIndicator).',
  'CII-SR-464': "L'établissement financier du payeur (PayerSpecifiedDebtorFinancialInstitution) n'est pas utilisé par la norme EN 16931.",
  'CII-SR-467': 'Tous les codes de moyen de paiement (BT-81) doivent être identiques.',
  'CII-SR-468': 'Tous les libellés de moyen de paiement (BT-82) doivent être identiques.',
  'CII-SR-470': 'Le compte de paiement (BT-84) doit être donné par un IBAN ou par un identifiant propriétaire.',
  'CII-SR-471': 'Chaque remise ou frais au niveau du document doit avoir un code de catégorie de TVA (BT-95, BT-102).',
  'CII-SR-472': 'Chaque remise ou frais au niveau du document doit avoir un taux de TVA (BT-96, BT-103).',
  'CII-DT-033': "L'unité de mesure (attribut unitCode) n'est autorisée que sur la quantité facturée (BT-129, BT-130).",
  'CII-DT-037': 'Le type de taxe (TypeCode) doit être « VAT ».',
  'CII-DT-097': 'Une date au format 102 doit s\'écrire AAAAMMJJ (par exemple 20260131).',
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
      const where = m[2] === '02' ? 'une ligne (BT-151)' : m[2] === '03' ? 'une remise au niveau du document (BT-95)' : 'des frais au niveau du document (BT-102)';
      if (m[1] === 'O') return `Avec la catégorie « ${cat} » sur ${where}, la facture ne doit contenir aucun numéro de TVA (vendeur BT-31, représentant fiscal BT-63, acheteur BT-48).`;
      if (m[1] === 'AE') return `Avec la catégorie « ${cat} » sur ${where}, le numéro de TVA du vendeur (BT-31, ou BT-32, ou celui du représentant fiscal BT-63) et le numéro de TVA (BT-48) ou l'identifiant légal (BT-47) de l'acheteur sont obligatoires.`;
      if (m[1] === 'IC') return `Avec la catégorie « ${cat} » sur ${where}, les numéros de TVA du vendeur (BT-31, ou du représentant fiscal BT-63) et de l'acheteur (BT-48) sont obligatoires.`;
      return `Avec la catégorie « ${cat} » sur ${where}, le numéro de TVA (BT-31) ou l'identifiant fiscal (BT-32) du vendeur, ou le numéro de TVA de son représentant fiscal (BT-63), est obligatoire.`;
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
        ? `Une facture hors champ de la TVA ne doit pas contenir d'autre catégorie de TVA (BT-118) dans son détail (BG-23).`
        : `Pour une livraison intracommunautaire, la date de livraison (BT-72) ou la période de facturation (BG-14) est obligatoire.`;
    case '12':
      return m[1] === 'O'
        ? `Une facture hors champ de la TVA ne doit pas contenir de ligne d'une autre catégorie de TVA (BT-151).`
        : `Pour une livraison intracommunautaire, le code pays de livraison (BT-80) est obligatoire.`;
    case '13':
      return `Une facture hors champ de la TVA ne doit pas contenir de remise d'une autre catégorie de TVA (BT-95).`;
    case '14':
      return `Une facture hors champ de la TVA ne doit pas contenir de frais d'une autre catégorie de TVA (BT-102).`;
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
  if (CODE_LISTS[id]) return CODE_LISTS[id];
  if (SYNTAX[id]) return SYNTAX[id];
  if (ONCE[id]) {
    return /exactly|exactement|= 1|only one classified/.test(official) && !/maximum|at most|Only one/.test(official)
      ? `${cap(ONCE[id])} doit figurer exactement une fois.`
      : `${cap(ONCE[id])} ne peut figurer qu'une fois.`;
  }
  const attrRule = /^\[(?:UBL|CII)-DT-\d+\]\s*-\s*@?(\w+) (?:should not be present|shall not be used)/.exec(official);
  if (attrRule && /^[a-z]/.test(attrRule[1])) {
    return `L'attribut « ${attrRule[1]} » n'est pas utilisé par la norme EN 16931 : à retirer.`;
  }
  if (id.startsWith('UBL-CR-') || /should not be (present|used)|shall not be used/.test(official)) {
    if (/simultaneously/.test(official)) {
      return "Une même référence de document (BG-24) ne peut pas désigner à la fois l'identifiant de l'objet facturé (BT-18) et un document joint (BT-123, BT-125).";
    }
    const what = official
      .replace(/^\[[^\]]+\]\s*-\s*/, '')
      .replace(/^A UBL (invoice|credit note) (should|shall) not include (the |an |a )?/, '')
      .replace(/ ?(should not be present|shall not be used)\.?$/, '')
      .replace(/\.$/, '')
      .replace(/ scheme identifier$/, ' (attribut schemeID)')
      .replace(/ (listID|schemeID|unitCode|currencyID|name)$/, ' (attribut $1)')
      .replace(/^@(\w+)$/, 'attribut $1');
    return `L'élément « ${what} » n'est pas utilisé par la norme EN 16931 : à retirer de la facture.`;
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
