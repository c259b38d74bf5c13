import { CompiledSchema, type SchemaFile } from '../xml/xsd-schema.ts';

export type { SchemaFile } from '../xml/xsd-schema.ts';

/** A loaded XSD set: the main schema and every schema it imports, kept in memory. */
export interface SchemaSet {
  main: string;
  files: readonly SchemaFile[];
}

export interface XsdResult {
  valid: boolean;
  errors: string[];
}

/**
 * Compiled schemas by file list and main schema: a caller that keeps its `files` array (read once per
 * process) gets each schema compiled once; a new array is a new set.
 */
const compiled = new WeakMap<readonly SchemaFile[], Map<string, Promise<CompiledSchema>>>();

function compile(schemas: SchemaSet): Promise<CompiledSchema> {
  let byMain = compiled.get(schemas.files);
  if (!byMain) compiled.set(schemas.files, (byMain = new Map()));
  let schema = byMain.get(schemas.main);
  if (!schema) {
    schema = CompiledSchema.compile(schemas.files, schemas.main);
    schema.catch(() => byMain.delete(schemas.main));
    byMain.set(schemas.main, schema);
  }
  return schema;
}

/** Validates an XML text against a schema set (libxml2 compiled to WebAssembly; the set compiled once). */
export async function validateWithXsd(xml: string, schemas: SchemaSet): Promise<XsdResult> {
  return (await compile(schemas)).check(xml);
}

/** Validates several documents against one schema set; returns the errors of each document by its name. */
export async function validateManyWithXsd(documents: readonly { name: string; xml: string }[], schemas: SchemaSet): Promise<Map<string, XsdResult>> {
  const schema = await compile(schemas);
  return new Map(documents.map((d) => [d.name, schema.check(d.xml)]));
}
