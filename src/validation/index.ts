export { validateXml, validateDocument, detectSyntax, type ValidationReport, type ValidationContext } from './validate.ts';
export type { Finding, Flag, Syntax } from './engine.ts';
export { ruleSetNames, isRuleSetName, appliesTo, type RuleSetName } from './registry.ts';
export { validateInvoiceDocument, validateInvoiceDocuments, DEFAULT_RULE_SETS, type ValidateInvoiceOptions, type InvoiceValidationResult } from './invoice.ts';
export { termLocation, type RecipientRequirements, type ModelRuleSet, type ModelRuleText } from './model-rules.ts';
export { CHORUS_TEXTS, isValidSiret, type ChorusRuleId } from './chorus/rules.ts';
export { parseXml, XmlParseError, type ParseLimits } from './xml/parse.ts';
export * from './xml/tree.ts';
export { XsdValidator, schemaFor, facturxProfile, type SchemaKey, type XsdInput, type XsdResult } from './xsd.ts';
