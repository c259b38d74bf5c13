import { validateXML } from 'xmllint-wasm';

/** An XSD file given by the caller (the library reads no file): path relative to the schema set's root. */
export interface SchemaFile {
  fileName: string;
  contents: string;
}

/** A loaded XSD set: the main schema and every schema it imports, kept in memory. */
export interface SchemaSet {
  main: string;
  files: readonly SchemaFile[];
}

export interface XsdResult {
  valid: boolean;
  errors: string[];
}

/** Validates an XML text against a schema set (libxml2 compiled to WebAssembly). */
export async function validateWithXsd(xml: string, schemas: SchemaSet): Promise<XsdResult> {
  const main = schemas.files.find((f) => f.fileName === schemas.main);
  if (!main) throw new Error(`schema ${schemas.main} missing from the set`);
  const result = await validateXML({
    xml: { fileName: 'document.xml', contents: xml },
    schema: main,
    preload: schemas.files.filter((f) => f !== main),
    maxMemoryPages: 4096,
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

/**
 * Validates several documents in one run, so the schemas are compiled once; returns the errors of
 * each document by its name.
 */
export async function validateManyWithXsd(documents: readonly { name: string; xml: string }[], schemas: SchemaSet): Promise<Map<string, XsdResult>> {
  const main = schemas.files.find((f) => f.fileName === schemas.main);
  if (!main) throw new Error(`schema ${schemas.main} missing from the set`);
  const names = documents.map((_, i) => `document-${i + 1}.xml`);
  const result = await validateXML({
    xml: documents.map((d, i) => ({ fileName: names[i], contents: d.xml })),
    schema: main,
    preload: schemas.files.filter((f) => f !== main),
    maxMemoryPages: 8192,
  });
  const out = new Map<string, XsdResult>(documents.map((d) => [d.name, { valid: true, errors: [] }]));
  for (const e of result.errors) {
    const i = e.loc ? names.indexOf(e.loc.fileName) : -1;
    const key = i >= 0 ? documents[i].name : documents[0]?.name;
    if (key === undefined) continue;
    const r = out.get(key)!;
    r.valid = false;
    r.errors.push(e.message);
  }
  if (!result.valid && [...out.values()].every((r) => r.valid)) {
    for (const r of out.values()) { r.valid = false; r.errors.push(result.rawOutput); }
  }
  return out;
}
