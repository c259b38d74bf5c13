export { validateXml, validateDocument, detectSyntax, type ValidationReport } from './validate.ts';
export type { Finding, Flag, Syntax } from './engine.ts';
export { ruleSetNames, type RuleSetName } from './registry.ts';
export { parseXml, XmlParseError, type ParseLimits } from './xml/parse.ts';
export * from './xml/tree.ts';
export { XsdValidator, schemaFor, facturxProfile, type SchemaKey, type XsdInput, type XsdResult } from './xsd.ts';
