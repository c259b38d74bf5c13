import { normalizeSpace, stringValue, type RuleFamily } from '../../engine.ts';
import { attr, hasAncestor, type XmlElement } from '../../xml/tree.ts';
import {
  CEF_EAS,
  ISO_3166,
  ISO_4217,
  ISO_6523_ICD,
  MIME_CODES,
  UNTDID_1001_CREDIT_NOTE,
  UNTDID_1001_INVOICE,
  UNTDID_1153,
  UNTDID_2005_VAT_DATE,
  UNTDID_4461,
  UNTDID_5189,
  UNTDID_5305,
  UNTDID_7143,
  UNTDID_7161,
  VATEX,
} from '../codelists.ts';
import { UNECE_REC20 } from '../unit-codes.ts';
import { P, UBL_NS, chargeIndicator } from './common.ts';

/** The code list rules BR-CL-* bound to UBL (the "Codesmodel" pattern of the official artefacts). */

const AMOUNT_NAMES = new Set([
  'Amount',
  'BaseAmount',
  'PriceAmount',
  'TaxAmount',
  'TaxableAmount',
  'LineExtensionAmount',
  'TaxExclusiveAmount',
  'TaxInclusiveAmount',
  'AllowanceTotalAmount',
  'ChargeTotalAmount',
  'PrepaidAmount',
  'PayableRoundingAmount',
  'PayableAmount',
]);

const cbc = UBL_NS.cbc;
const cac = UBL_NS.cac;
const parentIs = (el: XmlElement, local: string) => el.parent?.local === local && el.parent.ns === cac;

export const ublCodes: RuleFamily = {
  name: 'en16931-ubl-codes',
  syntax: 'ubl',
  ids: [],
  run() {},
  visit(el, _doc, r) {
    {
      if (el.ns === cbc) {
        switch (el.local) {
          case 'InvoiceTypeCode':
            r.check('BR-CL-01', UNTDID_1001_INVOICE.has(stringValue(el)), el);
            break;
          case 'CreditNoteTypeCode':
            r.check('BR-CL-01', UNTDID_1001_CREDIT_NOTE.has(stringValue(el)), el);
            break;
          case 'DocumentCurrencyCode':
            r.check('BR-CL-04', ISO_4217.has(stringValue(el)), el);
            break;
          case 'TaxCurrencyCode':
            r.check('BR-CL-05', ISO_4217.has(stringValue(el)), el);
            break;
          case 'DescriptionCode':
            if (parentIs(el, 'InvoicePeriod')) r.check('BR-CL-06', UNTDID_2005_VAT_DATE.has(stringValue(el)), el);
            break;
          case 'ID': {
            if (parentIs(el, 'TaxCategory')) r.check('BR-CL-17', UNTDID_5305.has(stringValue(el)), el);
            else if (parentIs(el, 'ClassifiedTaxCategory')) r.check('BR-CL-18', UNTDID_5305.has(stringValue(el)), el);
            const scheme = attr(el, 'schemeID');
            if (scheme === undefined) break;
            const p = el.parent;
            if (p && p.ns === cac && (p.local === 'AdditionalDocumentReference' || p.local === 'DocumentReference')) {
              if (P.kids(p, 'cbc:DocumentTypeCode').some((c) => stringValue(c) === '130')) r.check('BR-CL-07', UNTDID_1153.has(scheme), el);
            } else if (parentIs(el, 'PartyIdentification')) {
              const sepaOk =
                normalizeSpace(scheme) === 'SEPA' &&
                (hasAncestor(el, cac, 'AccountingSupplierParty') || hasAncestor(el, cac, 'PayeeParty'));
              r.check('BR-CL-10', ISO_6523_ICD.has(scheme) || sepaOk, el);
            } else if (parentIs(el, 'StandardItemIdentification')) {
              r.check('BR-CL-21', ISO_6523_ICD.has(scheme), el);
            } else if (parentIs(el, 'DeliveryLocation')) {
              r.check('BR-CL-26', ISO_6523_ICD.has(scheme), el);
            }
            break;
          }
          case 'CompanyID': {
            const scheme = attr(el, 'schemeID');
            if (scheme !== undefined && parentIs(el, 'PartyLegalEntity')) r.check('BR-CL-11', ISO_6523_ICD.has(scheme), el);
            break;
          }
          case 'ItemClassificationCode': {
            const list = attr(el, 'listID');
            if (list !== undefined && parentIs(el, 'CommodityClassification')) r.check('BR-CL-13', UNTDID_7143.has(list), el);
            break;
          }
          case 'IdentificationCode':
            if (parentIs(el, 'Country')) r.check('BR-CL-14', ISO_3166.has(stringValue(el)), el);
            else if (parentIs(el, 'OriginCountry')) r.check('BR-CL-15', ISO_3166.has(stringValue(el)), el);
            break;
          case 'PaymentMeansCode':
            if (parentIs(el, 'PaymentMeans')) r.check('BR-CL-16', UNTDID_4461.has(stringValue(el)), el);
            break;
          case 'AllowanceChargeReasonCode': {
            const p = el.parent;
            if (!p || !parentIs(el, 'AllowanceCharge')) break;
            const ind = chargeIndicator(p);
            if (ind === false) r.check('BR-CL-19', UNTDID_5189.has(stringValue(el)), el);
            else if (ind === true) r.check('BR-CL-20', UNTDID_7161.has(stringValue(el)), el);
            break;
          }
          case 'TaxExemptionReasonCode':
            r.check('BR-CL-22', VATEX.has(stringValue(el).toUpperCase()), el);
            break;
          case 'InvoicedQuantity':
          case 'BaseQuantity':
          case 'CreditedQuantity': {
            const unit = attr(el, 'unitCode');
            if (unit !== undefined) r.check('BR-CL-23', UNECE_REC20.has(unit), el);
            break;
          }
          case 'EmbeddedDocumentBinaryObject': {
            const mime = attr(el, 'mimeCode');
            if (mime !== undefined) r.check('BR-CL-24', MIME_CODES.has(mime), el);
            break;
          }
          case 'EndpointID': {
            const scheme = attr(el, 'schemeID');
            if (scheme !== undefined) r.check('BR-CL-25', CEF_EAS.has(scheme), el);
            break;
          }
        }
        if (AMOUNT_NAMES.has(el.local)) r.check('BR-CL-03', ISO_4217.has(attr(el, 'currencyID') ?? ''), el);
      }
    }
  },
};
