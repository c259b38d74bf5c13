/**
 * libxml2's XSD messages ("12: Schemas validity error : Element '{ns}Name': …", see formats/xml/xsd-schema.ts) in
 * French, for the people who deposit an invoice: the element with its usual prefix (cbc:, cac:, ram:…), the line,
 * what was expected. The common shapes of xmlschemas.c are translated; any other message keeps libxml2's words
 * after a French introduction. Pure.
 */

/** The usual prefixes of the UBL 2.1 and CII D16B namespaces (the ones the specifications and tools print). */
const PREFIXES: Record<string, string> = {
  'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2': 'cbc',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2': 'cac',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2': 'ext',
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2': '',
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2': '',
  'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100': 'rsm',
  'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100': 'ram',
  'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100': 'udt',
  'urn:un:unece:uncefact:data:standard:QualifiedDataType:100': 'qdt',
};

/** `{ns}Local` → `prefix:Local` (or `Local` for a namespace without a usual prefix). */
export function shortName(name: string): string {
  const m = /^\{([^}]*)\}(.+)$/.exec(name.trim());
  if (!m) return name.trim();
  const prefix = PREFIXES[m[1]!];
  return prefix ? `${prefix}:${m[2]}` : m[2]!;
}

/** "( {a}B, {c}D )" → "cbc:B, cac:D"; libxml2 may end the list with ", ..." when it is long. */
const names = (list: string) =>
  list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (s === '...' ? '…' : shortName(s))).join(', ');

export interface XsdErrorFr {
  /** The line libxml2 gives, or null. */
  line: number | null;
  /** The element (and attribute) concerned, with its usual prefix, or null. */
  element: string | null;
  /** The French sentence, ending with a full stop. */
  message: string;
}

const TYPES: Record<string, string> = {
  'xs:decimal': 'un nombre décimal', 'xs:date': 'une date (AAAA-MM-JJ)', 'xs:dateTime': 'une date et heure', 'xs:boolean': 'un booléen (true ou false)',
  'xs:integer': 'un nombre entier', 'xs:base64Binary': 'du base64', 'xs:token': 'un texte', 'xs:string': 'un texte', 'xs:normalizedString': 'un texte',
};

/** One libxml2 message → French. */
export function xsdErrorFr(raw: string): XsdErrorFr {
  const head = /^\s*(\d+)\s*:\s*(?:Schemas validity|parser) (?:error|warning)\s*:\s*/.exec(raw);
  const line = head ? Number(head[1]) : null;
  let rest = (head ? raw.slice(head[0].length) : raw).trim();
  const at = line === null ? '' : ` à la ligne ${line}`;
  const subject = /^Element '([^']+)'(?:, attribute '([^']+)')?:\s*/.exec(rest);
  if (!subject) return { line, element: null, message: `Document non conforme au schéma${at} : ${rest}` };
  rest = rest.slice(subject[0].length);
  const element = shortName(subject[1]!);
  const attribute = subject[2];
  const who = attribute ? `l'attribut ${attribute} de l'élément ${element}` : `l'élément ${element}`;
  const Who = who[0]!.toUpperCase() + who.slice(1);
  const expected = (s: string) => {
    const e = /Expected is (?:one of )?\(\s*(.*?)\s*\)\.?$/.exec(s);
    return e ? ` (attendu : ${names(e[1]!)})` : '';
  };
  let m: RegExpExecArray | null;
  let fr: string;
  if (/^This element is not expected\./.test(rest)) fr = `Élément inattendu ${element}${at}${expected(rest)}.`;
  else if (/^Missing child element\(s\)\./.test(rest)) fr = `Élément manquant dans ${element}${at}${expected(rest)}.`;
  else if ((m = /^The attribute '([^']+)' is not allowed\./.exec(rest))) fr = `Attribut ${m[1]} non autorisé sur l'élément ${element}${at}.`;
  else if ((m = /^The attribute '([^']+)' is required but missing\./.exec(rest))) fr = `Attribut obligatoire ${m[1]} absent de l'élément ${element}${at}.`;
  else if ((m = /^'(.*)' is not a valid value of the (?:local )?(atomic|list|union) type(?: '([^']+)')?\./s.exec(rest))) {
    const type = m[3] ? TYPES[m[3]] ?? `une valeur du type ${m[3]}` : `une valeur conforme au type ${m[2] === 'list' ? '(liste) ' : ''}de l'élément`;
    fr = `Valeur « ${m[1]} » invalide pour ${who}${at} (attendu : ${type}).`;
  } else if ((m = /^\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\./s.exec(rest)))
    fr = `Valeur « ${m[1]} » non admise pour ${who}${at} (valeurs admises : ${m[2]!.replace(/'/g, '').slice(0, 300)}).`;
  else if ((m = /^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\./s.exec(rest)))
    fr = `Valeur « ${m[1]} » de forme incorrecte pour ${who}${at} (motif attendu : ${m[2]}).`;
  else if ((m = /^\[facet '(?:minLength|length|maxLength)'\] The value has a length of '(\d+)'; this (underruns the allowed minimum length|differs from the allowed length|exceeds the allowed maximum length) of '(\d+)'\./.exec(rest)))
    fr = `Longueur incorrecte pour ${who}${at} : ${m[1]} caractère${m[1] === '1' ? '' : 's'} (${m[2]!.startsWith('underruns') ? 'minimum' : m[2]!.startsWith('exceeds') ? 'maximum' : 'attendu'} : ${m[3]}).`;
  else if ((m = /^\[facet 'fractionDigits'\] The value '(.*)' has more fractional digits than are allowed \('(\d+)'\)\./.exec(rest)))
    fr = `Trop de décimales dans « ${m[1]} » pour ${who}${at} (au plus ${m[2]}).`;
  else if ((m = /^\[facet 'totalDigits'\] The value '(.*)' has more digits than are allowed \('(\d+)'\)\./.exec(rest)))
    fr = `Trop de chiffres dans « ${m[1]} » pour ${who}${at} (au plus ${m[2]}).`;
  else if ((m = /^\[facet '(min|max)(Inclusive|Exclusive)'\] The value '(.*)' is (?:less|greater) than (?:or equal to )?the (?:minimum|maximum) value allowed \('(.*)'\)\./.exec(rest)))
    fr = `Valeur « ${m[3]} » ${m[1] === 'min' ? 'trop petite' : 'trop grande'} pour ${who}${at} (${m[1] === 'min' ? 'minimum' : 'maximum'}${m[2] === 'Exclusive' ? ' exclu' : ''} : ${m[4]}).`;
  else if (/^Character content other than whitespace is not allowed because the content type is 'element-only'\./.test(rest))
    fr = `Texte non autorisé directement dans l'élément ${element}${at} (il ne contient que des éléments).`;
  else if (/^Element content is not allowed, because the content type is a simple type definition\./.test(rest) || /^Element content is not allowed, because the type definition is simple\./.test(rest))
    fr = `Élément enfant non autorisé dans ${element}${at} (il ne contient que du texte).`;
  else if (/^No matching global declaration available for the validation root\./.test(rest))
    fr = `Élément racine ${element} inconnu du schéma${at}.`;
  else fr = `${Who} n'est pas conforme au schéma${at} : ${rest}`;
  return { line, element: attribute ? `${element}/@${attribute}` : element, message: fr };
}
