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
