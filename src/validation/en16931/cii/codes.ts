import { normalizeSpace, stringValue, type RuleFamily } from '../../engine.ts';
import { attr, hasAncestor, type XmlElement } from '../../xml/tree.ts';
import {
  CEF_EAS,
  ISO_3166,
  ISO_4217,
  ISO_6523_ICD,
  UNTDID_1001_CREDIT_NOTE,
  UNTDID_1001_INVOICE,
  UNTDID_1153,
  UNTDID_4461,
  UNTDID_4451_TEXT,
  UNTDID_5189,
  UNTDID_5305,
  UNTDID_7143,
  UNTDID_7161,
  VATEX,
} from '../codelists.ts';
import { UNECE_REC20 } from '../unit-codes.ts';
import { CII_NS, RAM, indicator, SchList } from './common.ts';

/**
 * The code list rules BR-CL-* bound to CII (EN16931-CII-codes.sch). Each rule context is an element
 * name (with a parent or attribute condition); one element matches at most one context, the first in
 * the official order, which the switch below keeps.
 */

/** UNTDID 2475 restriction used by CII for the VAT point date code (BT-8). */
const UNTDID_2475 = new SchList(' 5 29 72 ');
/** The subject codes of UNTDID 4451 (BR-CL-08). */
const UNTDID_4451 = new SchList(' ' + UNTDID_4451_TEXT.trim() + ' ');
const MIME = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

const parentIs = (el: XmlElement, local: string) => el.parent?.local === local && el.parent.ns === RAM;
const isDocTypeCode = (v: string) => UNTDID_1001_INVOICE.has(v) || UNTDID_1001_CREDIT_NOTE.has(v);

export const ciiCodes: RuleFamily = {
  name: 'en16931-cii-codes',
  syntax: 'cii',
  ids: [],
  run() {},
  visit(el, _doc, r) {
    if (el.ns !== RAM) return;
    {
      switch (el.local) {
        case 'TypeCode':
          if (el.parent?.local === 'ExchangedDocument' && el.parent.ns === CII_NS.rsm) r.check('BR-CL-01', isDocTypeCode(stringValue(el)), el);
          else if (parentIs(el, 'SpecifiedTradeSettlementPaymentMeans')) r.check('BR-CL-16', UNTDID_4461.has(stringValue(el)), el);
          break;
        case 'TaxTotalAmount': {
          const c = attr(el, 'currencyID');
          if (c !== undefined) r.check('BR-CL-03', ISO_4217.has(c), el);
          break;
        }
        case 'InvoiceCurrencyCode':
          r.check('BR-CL-04', ISO_4217.has(stringValue(el)), el);
          break;
        case 'TaxCurrencyCode':
          r.check('BR-CL-05', ISO_4217.has(stringValue(el)), el);
          break;
        case 'DueDateTypeCode':
          r.check('BR-CL-06', UNTDID_2475.has(stringValue(el)), el);
          break;
        case 'ReferenceTypeCode':
          r.check('BR-CL-07', UNTDID_1153.has(stringValue(el)), el);
          break;
        case 'SubjectCode':
          r.check('BR-CL-08', UNTDID_4451.has(stringValue(el)), el);
          break;
        case 'GlobalID': {
          const s = attr(el, 'schemeID');
          if (s === undefined) break;
          if (!hasAncestor(el, RAM, 'SpecifiedTradeProduct') && !hasAncestor(el, RAM, 'ShipToTradeParty')) r.check('BR-CL-10', ISO_6523_ICD.has(s), el);
          else if (parentIs(el, 'SpecifiedTradeProduct')) r.check('BR-CL-21', ISO_6523_ICD.has(s), el);
          else if (parentIs(el, 'ShipToTradeParty') && el.parent?.parent?.local === 'ApplicableHeaderTradeDelivery') {
            r.check('BR-CL-26', ISO_6523_ICD.has(s), el);
          }
          break;
        }
        case 'ID': {
          const s = attr(el, 'schemeID');
          if (s !== undefined && !hasAncestor(el, RAM, 'SpecifiedTaxRegistration')) r.check('BR-CL-11', ISO_6523_ICD.has(s), el);
          else if (parentIs(el, 'OriginTradeCountry')) r.check('BR-CL-15', ISO_3166.has(stringValue(el)), el);
          break;
        }
        case 'ClassCode': {
          const l = attr(el, 'listID');
          if (l !== undefined) r.check('BR-CL-13', UNTDID_7143.has(l), el);
          break;
        }
        case 'CountryID':
          r.check('BR-CL-14', ISO_3166.has(stringValue(el)), el);
          break;
        case 'CategoryCode':
          if (parentIs(el, 'CategoryTradeTax')) r.check('BR-CL-17', UNTDID_5305.has(stringValue(el)), el);
          else if (parentIs(el, 'ApplicableTradeTax')) r.check('BR-CL-18', UNTDID_5305.has(stringValue(el)), el);
          break;
        case 'ReasonCode': {
          const ac = el.parent;
          if (!ac || !parentIs(el, 'SpecifiedTradeAllowanceCharge')) break;
          const ind = indicator(ac);
          if (ind === false) r.check('BR-CL-19', UNTDID_5189.has(stringValue(el)), el);
          else if (ind === true) r.check('BR-CL-20', UNTDID_7161.has(stringValue(el)), el);
          break;
        }
        case 'ExemptionReasonCode':
          r.check('BR-CL-22', VATEX.has(normalizeSpace(stringValue(el).toUpperCase())), el);
          break;
        case 'BasisQuantity':
        case 'BilledQuantity': {
          const u = attr(el, 'unitCode');
          if (u !== undefined) r.check('BR-CL-23', UNECE_REC20.has(u), el);
          break;
        }
        case 'AttachmentBinaryObject': {
          const m = attr(el, 'mimeCode');
          if (m !== undefined) r.check('BR-CL-24', MIME.has(m), el);
          break;
        }
        case 'URIID': {
          const s = attr(el, 'schemeID');
          if (s !== undefined && parentIs(el, 'URIUniversalCommunication')) r.check('BR-CL-25', CEF_EAS.has(s), el);
          break;
        }
      }
    }
  },
};
