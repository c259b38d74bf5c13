import { invoicingRequirements } from '../structures/index.ts';

/** A recipient as the public directory shows it. */
export interface DirectoryEntry {
  siret: string;
  name: string;
  addressLine: string | null;
  postcode: string | null;
  city: string | null;
  requirements: Requirements;
  services: Array<{ code: string; name: string; requirements: Requirements }>;
}
export type Requirements = ReturnType<typeof invoicingRequirements>;

type StructureRow = {
  id: number;
  identifier: string;
  name: string;
  address_line: string | null;
  postcode: string | null;
  city: string | null;
  code_service_doit_etre_renseigne: boolean;
  numero_ej_doit_etre_renseigne: boolean;
  gestion_numero_ej_ou_code_service: boolean;
};
type ServiceRow = { structure_id: number; code: string; name: string; numero_ej_doit_etre_renseigne: boolean };

/** Joins structures and their usable services into directory entries (pure). */
export function toEntries(structures: StructureRow[], services: ServiceRow[]): DirectoryEntry[] {
  const byStructure = new Map<number, ServiceRow[]>();
  for (const sv of services) byStructure.set(sv.structure_id, [...(byStructure.get(sv.structure_id) ?? []), sv]);
  return structures.map((s) => ({
    siret: s.identifier,
    name: s.name,
    addressLine: s.address_line,
    postcode: s.postcode,
    city: s.city,
    requirements: invoicingRequirements(s),
    services: (byStructure.get(s.id) ?? []).map((sv) => ({ code: sv.code, name: sv.name, requirements: invoicingRequirements(s, sv) })),
  }));
}

/** What the supplier must write on the invoice, in words. */
export function requirementsText(r: Requirements): string {
  const parts: string[] = [];
  if (r.serviceCode) parts.push('code service obligatoire');
  if (r.ej) parts.push("numéro d'engagement obligatoire");
  if (r.ejOrServiceCode) parts.push("numéro d'engagement ou code service obligatoire");
  return parts.length ? parts.join(', ') : 'aucune mention obligatoire';
}

export const DIRECTORY_CSV_HEADER = [
  'SIRET',
  'Raison sociale',
  'Adresse',
  'Code postal',
  'Ville',
  'Code service',
  'Nom du service',
  'Code service obligatoire',
  "Numéro d'engagement obligatoire",
  "Numéro d'engagement ou code service obligatoire",
] as const;

const yesNo = (b: boolean) => (b ? 'Oui' : 'Non');

/** One line for the structure itself (no service), then one per service. */
export function directoryCsvRows(entries: DirectoryEntry[]): string[][] {
  return entries.flatMap((e) => {
    const base = [e.siret, e.name, e.addressLine ?? '', e.postcode ?? '', e.city ?? ''];
    const line = (code: string, name: string, r: Requirements) => [...base, code, name, yesNo(r.serviceCode), yesNo(r.ej), yesNo(r.ejOrServiceCode)];
    return [line('', '', e.requirements), ...e.services.map((s) => line(s.code, s.name, s.requirements))];
  });
}
