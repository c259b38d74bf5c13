/**
 * The CII syntax binding rules (EN16931-CII-syntax.sch, 1.3.16) as data: for each rule context, the
 * assertions as `ID OP PATH`, OP being `-` (the path shall not exist), `1` (at most once) or `=` (exactly
 * once). Paths are child paths from the context; steps without a prefix are `ram:`; `@x` is an attribute.
 * Rules whose test is not one of these three shapes are written in syntax.ts (marked `*` here).
 */
export const CII_SYNTAX_TABLE: Readonly<Record<string, string>> = {
  PaymentMeans: `464 - PayerSpecifiedDebtorFinancialInstitution`,
  DocumentContext: `001 - SpecifiedTransactionID
002 - TestIndicator
003 1 BusinessProcessSpecifiedDocumentContextParameter
006 - BIMSpecifiedDocumentContextParameter
007 - ScenarioSpecifiedDocumentContextParameter
008 - ApplicationSpecifiedDocumentContextParameter
009 = GuidelineSpecifiedDocumentContextParameter
010 = GuidelineSpecifiedDocumentContextParameter/ID
011 - SubsetSpecifiedDocumentContextParameter
012 - MessageStandardSpecifiedDocumentContextParameter`,
  ExchangedDocument: `013 - Name
014 = TypeCode
015 - IssueDateTime/udt:DateTime
016 - CopyIndicator
017 - Purpose
018 - ControlRequirementIndicator
019 - LanguageID
020 - PurposeCode
021 - RevisionDateTime
022 - VersionID
023 - GlobalID
024 - RevisionID
025 - PreviousRevisionID
026 - CategoryCode
027 - IncludedNote/Subject
028 - IncludedNote/ContentCode
032 - IncludedNote/ID
033 - EffectiveSpecifiedPeriod
034 - IssuerTradeParty`,
  Note: `030 1 Content`,
  Line: `035 - DescriptionCode
036 - ParentLineID
037 - LineStatusCode
038 - LineStatusReasonCode
221 - IncludedSubordinateTradeLineItem`,
  LineDocument: `039 1 IncludedNote
040 1 IncludedNote/Content
041 - IncludedNote/SubjectCode
042 - IncludedNote/ID
043 - IncludedNote/Subject
044 - IncludedNote/ContentCode`,
  Product: `045 - ID
046 * GlobalID has a schemeID
048 - ManufacturerAssignedID
049 - TradeName
050 - TypeCode
051 - NetWeightMeasure
052 - GrossWeightMeasure
053 - ProductGroupID
054 - EndItemTypeCode
055 - EndItemName
056 - AreaDensityMeasure
057 - UseDescription
058 - BrandName
059 - SubBrandName
060 - DrainedNetWeightMeasure
061 - VariableMeasureIndicator
062 - ColourCode
063 - ColourDescription
064 - Designation
065 - FormattedCancellationAnnouncedLaunchDateTime
066 - FormattedLatestProductDataChangeDateTime
067 - ApplicableProductCharacteristic/ID
068 - ApplicableProductCharacteristic/TypeCode
070 - ApplicableProductCharacteristic/ValueMeasure
071 - ApplicableProductCharacteristic/MeasurementMethodCode
073 - ApplicableProductCharacteristic/ValueCode
074 - ApplicableProductCharacteristic/ValueDateTime
075 - ApplicableProductCharacteristic/ValueIndicator
076 - ApplicableProductCharacteristic/ContentTypeCode
077 - ApplicableProductCharacteristic/ValueSpecifiedBinaryFile
078 - ApplicableProductCharacteristic/ApplicableProductCharacteristicCondition
079 - ApplicableProductCharacteristic/ApplicableReferencedStandard
080 - ApplicableMaterialGoodsCharacteristic
081 - DesignatedProductClassification/SystemID
082 - DesignatedProductClassification/SystemName
083 - DesignatedProductClassification/ClassName
084 - DesignatedProductClassification/SubClassCode
085 - DesignatedProductClassification/ClassProductCharacteristic
086 - DesignatedProductClassification/ApplicableReferencedStandard
087 - IndividualTradeProductInstance
088 - CertificationEvidenceReferenceReferencedDocument
089 - InspectionReferenceReferencedDocument
090 * OriginTradeCountry has one ID
091 - OriginTradeCountry/Name
092 - OriginTradeCountry/SubordinateTradeCountrySubDivision
093 - LinearSpatialDimension
094 - MinimumLinearSpatialDimension
095 - MaximumLinearSpatialDimension
096 - ManufacturerTradeParty
097 - PresentationSpecifiedBinaryFile
098 - MSDSReferenceReferencedDocument
099 - AdditionalReferenceReferencedDocument
100 - LegalRightsOwnerTradeParty
101 - BrandOwnerTradeParty
102 - IncludedReferencedProduct
103 - InformationNote`,
  ProductCharacteristic: `069 = Description
072 = Value`,
  LineAgreement: `104 - BuyerReference
105 - BuyerRequisitionerTradeParty
106 - ApplicableTradeDeliveryTerms
107 - SellerOrderReferencedDocument
108 - BuyerOrderReferencedDocument/IssuerAssignedID
109 - QuotationReferencedDocument
110 - ContractReferencedDocument
111 - DemandForecastReferencedDocument
112 - PromotionalDealReferencedDocument
113 - AdditionalReferencedDocument
114 - GrossPriceProductTradePrice/TypeCode
115 - GrossPriceProductTradePrice/MinimumQuantity
116 - GrossPriceProductTradePrice/MaximumQuantity
117 - GrossPriceProductTradePrice/ChangeReason
118 - GrossPriceProductTradePrice/OrderUnitConversionFactorNumeric
439 = NetPriceProductTradePrice/ChargeAmount
119 * only allowances on the gross price
120 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ID
121 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/SequenceNumeric
122 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CalculationPercent
123 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisAmount
124 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisQuantity
125 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/PrepaidIndicator
126 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/UnitBasisAmount
127 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ReasonCode
128 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/Reason
129 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/TypeCode
130 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CategoryTradeTax
131 - GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ActualTradeCurrencyExchange
445 - GrossPriceProductTradePrice/IncludedTradeTax
132 - GrossPriceProductTradePrice/ValiditySpecifiedPeriod
133 - GrossPriceProductTradePrice/DeliveryTradeLocation
134 - GrossPriceProductTradePrice/TradeComparisonReferencePrice
135 - GrossPriceProductTradePrice/AssociatedReferencedDocument
136 - NetPriceProductTradePrice/TypeCode
138 - NetPriceProductTradePrice/MinimumQuantity
139 - NetPriceProductTradePrice/MaximumQuantity
140 - NetPriceProductTradePrice/ChangeReason
141 - NetPriceProductTradePrice/OrderUnitConversionFactorNumeric
142 - NetPriceProductTradePrice/AppliedTradeAllowanceCharge
446 - NetPriceProductTradePrice/IncludedTradeTax
143 - NetPriceProductTradePrice/ValiditySpecifiedPeriod
144 - NetPriceProductTradePrice/DeliveryTradeLocation
145 - NetPriceProductTradePrice/TradeComparisonReferencePrice
146 - NetPriceProductTradePrice/AssociatedReferencedDocument
441 1 NetPriceProductTradePrice/ChargeAmount
147 - RequisitionerReferencedDocument
148 - ItemSellerTradeParty
149 - ItemBuyerTradeParty
150 - IncludedSpecifiedMarketplace
447 - UltimateCustomerOrderReferencedDocument`,
  AllowanceCharge: `463 * has a ChargeIndicator
471 * has a VAT category code
472 * has a VAT rate
473 1 ActualAmount`,
  PriceAllowanceCharge: `440 1 ActualAmount`,
  LineDelivery: `151 - RequestedQuantity
152 - ReceivedQuantity
153 - ChargeFreeQuantity
154 - PackageQuantity
155 - ProductUnitQuantity
156 - PerPackageUnitQuantity
157 - NetWeightMeasure
158 - GrossWeightMeasure
159 - TheoreticalWeightMeasure
160 - DespatchedQuantity
161 - SpecifiedDeliveryAdjustment
162 - IncludedSupplyChainPackaging
163 - RelatedSupplyChainConsignment
164 - ShipToTradeParty
165 - UltimateShipToTradeParty
166 - ShipFromTradeParty
167 - ActualDespatchSupplyChainEvent
168 - ActualPickUpSupplyChainEvent
169 - RequestedDeliverySupplyChainEvent
170 - ActualDeliverySupplyChainEvent
171 - ActualReceiptSupplyChainEvent
172 - AdditionalReferencedDocument
173 - DespatchAdviceReferencedDocument
174 - ReceivingAdviceReferencedDocument
175 - DeliveryNoteReferencedDocument
176 - ConsumptionReportReferencedDocument
177 - PackingListReferencedDocument`,
  LineSettlement: `178 - PaymentReference
179 - InvoiceIssuerReference
180 - TotalAdjustmentAmount
181 - DiscountIndicator
182 - ApplicableTradeTax/CalculatedAmount
183 - SpecifiedTradeAllowanceCharge/ChargeIndicator/udt:IndicatorString
184 - SpecifiedTradeAllowanceCharge/ID
185 - SpecifiedTradeAllowanceCharge/SequenceNumeric
186 - SpecifiedTradeAllowanceCharge/CalculationPercent/@format
187 - SpecifiedTradeAllowanceCharge/BasisQuantity
188 - SpecifiedTradeAllowanceCharge/PrepaidIndicator
189 - SpecifiedTradeAllowanceCharge/UnitBasisAmount
190 - SpecifiedTradeAllowanceCharge/TypeCode
191 - SpecifiedTradeAllowanceCharge/CategoryTradeTax
192 - SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange
193 - SpecifiedTradeAllowanceCharge/ID
194 - SubtotalCalculatedTradeTax
195 - SpecifiedLogisticsServiceCharge
196 - SpecifiedTradePaymentTerms
197 - SpecifiedTradeSettlementLineMonetarySummation/ChargeTotalAmount
198 - SpecifiedTradeSettlementLineMonetarySummation/AllowanceTotalAmount
199 - SpecifiedTradeSettlementLineMonetarySummation/TaxBasisTotalAmount
200 - SpecifiedTradeSettlementLineMonetarySummation/TaxTotalAmount
201 - SpecifiedTradeSettlementLineMonetarySummation/GrandTotalAmount
202 - SpecifiedTradeSettlementLineMonetarySummation/InformationAmount
203 - SpecifiedTradeSettlementLineMonetarySummation/TotalAllowanceChargeAmount
204 - SpecifiedTradeSettlementLineMonetarySummation/TotalRetailValueInformationAmount
205 - SpecifiedTradeSettlementLineMonetarySummation/GrossLineTotalAmount
206 - SpecifiedTradeSettlementLineMonetarySummation/NetLineTotalAmount
207 - SpecifiedTradeSettlementLineMonetarySummation/NetIncludingTaxesLineTotalAmount
208 - SpecifiedTradeSettlementLineMonetarySummation/ProductWeightLossInformationAmount
209 - SpecifiedFinancialAdjustment
210 - InvoiceReferencedDocument
212 - PayableSpecifiedTradeAccountingAccount
213 - ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode
214 - ReceivableSpecifiedTradeAccountingAccount/TypeCode
215 - ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode
216 - ReceivableSpecifiedTradeAccountingAccount/Name
217 - ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern
218 - PurchaseSpecifiedTradeAccountingAccount
219 - SalesSpecifiedTradeAccountingAccount
220 - SpecifiedTradeSettlementFinancialCard
454 = ApplicableTradeTax
474 * at most one invoiced object reference (130)`,
  HeaderAgreement: `442 - Reference
222 - SellerTradeParty/RoleCode
223 - SellerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode
224 - SellerTradeParty/SpecifiedLegalOrganization/Name
225 - SellerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress
226 - SellerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration
227 - SellerTradeParty/DefinedTradeContact/ID
228 - SellerTradeParty/DefinedTradeContact/TypeCode
229 - SellerTradeParty/DefinedTradeContact/JobTitle
230 - SellerTradeParty/DefinedTradeContact/Responsibility
231 - SellerTradeParty/DefinedTradeContact/PersonID
232 - SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID
233 - SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode
234 - SellerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication
235 - SellerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication
236 - SellerTradeParty/DefinedTradeContact/FaxUniversalCommunication
237 - SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode
238 - SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber
239 - SellerTradeParty/DefinedTradeContact/TelexUniversalCommunication
240 - SellerTradeParty/DefinedTradeContact/VOIPUniversalCommunication
241 - SellerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication
242 - SellerTradeParty/DefinedTradeContact/SpecifiedNote
243 - SellerTradeParty/DefinedTradeContact/SpecifiedContactPerson
244 - SellerTradeParty/URIUniversalCommunication/ChannelCode
245 - SellerTradeParty/URIUniversalCommunication/CompleteNumber
246 - SellerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax
247 - SellerTradeParty/EndPointURIUniversalCommunication
248 - SellerTradeParty/LogoAssociatedSpecifiedBinaryFile
249 - BuyerTradeParty/RoleCode
250 - BuyerTradeParty/Description
251 - BuyerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode
252 - BuyerTradeParty/SpecifiedLegalOrganization/Name
254 - BuyerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress
255 - BuyerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration
256 - BuyerTradeParty/DefinedTradeContact/ID
257 - BuyerTradeParty/DefinedTradeContact/TypeCode
258 - BuyerTradeParty/DefinedTradeContact/JobTitle
259 - BuyerTradeParty/DefinedTradeContact/Responsibility
260 - BuyerTradeParty/DefinedTradeContact/PersonID
261 - BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID
262 - BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode
263 - BuyerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication
264 - BuyerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication
265 - BuyerTradeParty/DefinedTradeContact/FaxUniversalCommunication
266 - BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode
267 - BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber
268 - BuyerTradeParty/DefinedTradeContact/TelexUniversalCommunication
269 - BuyerTradeParty/DefinedTradeContact/VOIPUniversalCommunication
270 - BuyerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication
271 - BuyerTradeParty/DefinedTradeContact/SpecifiedNote
272 - BuyerTradeParty/DefinedTradeContact/SpecifiedContactPerson
273 - BuyerTradeParty/URIUniversalCommunication/ChannelCode
274 - BuyerTradeParty/URIUniversalCommunication/CompleteNumber
275 - BuyerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax
276 - BuyerTradeParty/EndPointURIUniversalCommunication
277 - BuyerTradeParty/LogoAssociatedSpecifiedBinaryFile
278 - SalesAgentTradeParty
279 - BuyerRequisitionerTradeParty
280 - BuyerAssignedAccountantTradeParty
281 - SellerAssignedAccountantTradeParty
282 - BuyerTaxRepresentativeTradeParty
283 - SellerTaxRepresentativeTradeParty/GlobalID
284 - SellerTaxRepresentativeTradeParty/RoleCode
285 - SellerTaxRepresentativeTradeParty/Description
286 - SellerTaxRepresentativeTradeParty/SpecifiedLegalOrganization
287 - SellerTaxRepresentativeTradeParty/DefinedTradeContact
288 - SellerTaxRepresentativeTradeParty/URIUniversalCommunication
289 - SellerTaxRepresentativeTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax
290 - SellerTaxRepresentativeTradeParty/EndPointURIUniversalCommunication
291 - SellerTaxRepresentativeTradeParty/LogoAssociatedSpecifiedBinaryFile
292 - ProductEndUserTradeParty
293 - ApplicableTradeDeliveryTerms
294 - SellerOrderReferencedDocument/LineID
295 - BuyerOrderReferencedDocument/LineID
296 - QuotationReferencedDocument
297 - OrderResponseReferencedDocument
298 - ContractReferencedDocument/LineID
299 - DemandForecastReferencedDocument
300 - SupplyInstructionReferencedDocument
301 - PromotionalDealReferencedDocument
302 - PriceListReferencedDocument
303 - AdditionalReferencedDocument/LineID
304 - RequisitionerReferencedDocument
305 - BuyerAgentTradeParty
306 - PurchaseConditionsReferencedDocument
307 - SpecifiedProcuringProject/Description
448 - UltimateCustomerOrderReferencedDocument
450 * BuyerTradeParty: ID or GlobalID, not both
455 1 SellerTradeParty/DefinedTradeContact
456 1 BuyerTradeParty/DefinedTradeContact
457 * at most one AdditionalReferencedDocument with TypeCode 50
458 * at most one AdditionalReferencedDocument with TypeCode 130
459 1 SellerTradeParty/URIUniversalCommunication
460 1 BuyerTradeParty/URIUniversalCommunication
465 * seller contact: person or department
466 * buyer contact: person or department
475 * TypeCode 916: one Name
476 * TypeCode 916: one AttachmentBinaryObject`,
  HeaderDelivery: `308 - RelatedSupplyChainConsignment
309 - ShipToTradeParty/RoleCode
310 - ShipToTradeParty/Description
311 - ShipToTradeParty/SpecifiedLegalOrganization
312 - ShipToTradeParty/DefinedTradeContact
313 - ShipToTradeParty/URIUniversalCommunication
314 - ShipToTradeParty/SpecifiedTaxRegistration
315 - ShipToTradeParty/EndPointURIUniversalCommunication
316 - ShipToTradeParty/LogoAssociatedSpecifiedBinaryFile
317 - UltimateShipToTradeParty
318 - ShipFromTradeParty
319 - ActualDespatchSupplyChainEvent
320 - ActualPickUpSupplyChainEvent
321 - ActualDeliverySupplyChainEvent/ID
322 - ActualDeliverySupplyChainEvent/OccurrenceDateTime/udt:DateTime
323 - ActualDeliverySupplyChainEvent/TypeCode
324 - ActualDeliverySupplyChainEvent/Description
325 - ActualDeliverySupplyChainEvent/DescriptionBinaryObject
326 - ActualDeliverySupplyChainEvent/UnitQuantity
327 - ActualDeliverySupplyChainEvent/LatestOccurrenceDateTime
328 - ActualDeliverySupplyChainEvent/EarliestOccurrenceDateTime
329 - ActualDeliverySupplyChainEvent/OccurrenceSpecifiedPeriod
330 - ActualDeliverySupplyChainEvent/OccurrenceLogisticsLocation
331 - ActualReceiptSupplyChainEvent
332 - AdditionalReferencedDocument
333 - DespatchAdviceReferencedDocument/LineID
334 - DespatchAdviceReferencedDocument/LineID
335 - DeliveryNoteReferencedDocument
336 - ConsumptionReportReferencedDocument
337 - PreviousDeliverySupplyChainEvent
338 - PackingListReferencedDocument
449 * ShipToTradeParty: ID or GlobalID, not both`,
  HeaderSettlement: `339 - DuePayableAmount
340 - CreditorReferenceTypeCode
341 - CreditorReferenceType
342 - CreditorReferenceIssuerID
344 - PaymentCurrencyCode
345 - InvoiceIssuerReference
346 - InvoiceDateTime
347 - NextInvoiceDateTime
348 - CreditReasonCode
349 - CreditReason
350 - InvoicerTradeParty
351 - InvoiceeTradeParty
352 - PayeeTradeParty/RoleCode
353 - PayeeTradeParty/Description
354 - PayeeTradeParty/SpecifiedLegalOrganization/LegalClassificationCode
355 - PayeeTradeParty/SpecifiedLegalOrganization/Name
356 - PayeeTradeParty/SpecifiedLegalOrganization/TradingBusinessName
357 - PayeeTradeParty/SpecifiedLegalOrganization/PostalTradeAddress
358 - PayeeTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration
359 - PayeeTradeParty/DefinedTradeContact
360 - PayeeTradeParty/PostalTradeAddress
361 - PayeeTradeParty/URIUniversalCommunication
362 - PayeeTradeParty/SpecifiedTaxRegistration
363 - PayeeTradeParty/EndPointURIUniversalCommunication
364 - PayeeTradeParty/LogoAssociatedSpecifiedBinaryFile
451 * PayeeTradeParty: ID or GlobalID, not both
365 - PayerTradeParty
366 - TaxApplicableTradeCurrencyExchange
367 - InvoiceApplicableTradeCurrencyExchange
368 - PaymentApplicableTradeCurrencyExchange
369 - SpecifiedTradeSettlementPaymentMeans/PaymentChannelCode
370 - SpecifiedTradeSettlementPaymentMeans/GuaranteeMethodCode
371 - SpecifiedTradeSettlementPaymentMeans/PaymentMethodCode
443 - SpecifiedTradeSettlementPaymentMeans/ID
372 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/MicrochipIndicator
373 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/TypeCode
375 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ExpiryDate
376 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/VerificationNumeric
377 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ValidFromDateTime
378 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditLimitAmount
379 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditAvailableAmount
380 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/InterestRatePercent
381 - SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/Description
382 - SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/AccountName
444 - SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/ProprietaryID
384 - SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/ClearingSystemName
385 - SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/Name
386 - SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/LocationFinancialInstitutionAddress
388 - SpecifiedTradeAllowanceCharge/ID
389 - SpecifiedTradeAllowanceCharge/SequenceNumeric
390 - SpecifiedTradeAllowanceCharge/BasisQuantity
391 - SpecifiedTradeAllowanceCharge/PrepaidIndicator
392 - SpecifiedTradeAllowanceCharge/UnitBasisAmount
393 - SpecifiedTradeAllowanceCharge/TypeCode
394 - SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange
395 - SubtotalCalculatedTradeTax
396 - SpecifiedLogisticsServiceCharge
397 - SpecifiedTradePaymentTerms/ID
398 - SpecifiedTradePaymentTerms/FromEventCode
399 - SpecifiedTradePaymentTerms/SettlementPeriodMeasure
400 - SpecifiedTradePaymentTerms/DueDateDateTime/udt:DateTime
401 - SpecifiedTradePaymentTerms/TypeCode
402 - SpecifiedTradePaymentTerms/InstructionTypeCode
404 - SpecifiedTradePaymentTerms/PartialPaymentPercent
405 - SpecifiedTradePaymentTerms/PaymentMeansID
406 - SpecifiedTradePaymentTerms/PartialPaymentAmount
407 - SpecifiedTradePaymentTerms/ApplicableTradePaymentPenaltyTerms
408 - SpecifiedTradePaymentTerms/ApplicableTradePaymentDiscountTerms
409 - SpecifiedTradePaymentTerms/PayeeTradeParty
421 - SpecifiedFinancialAdjustment
422 - InvoiceReferencedDocument/LineID
423 - ProFormaInvoiceReferencedDocument
424 - LetterOfCreditReferencedDocument
425 - FactoringAgreementReferencedDocument
426 - FactoringListReferencedDocument
427 - PayableSpecifiedTradeAccountingAccount
428 - ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode
429 - ReceivableSpecifiedTradeAccountingAccount/TypeCode
430 - ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode
431 - ReceivableSpecifiedTradeAccountingAccount/Name
432 - ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern
433 - PurchaseSpecifiedTradeAccountingAccount
434 - SalesSpecifiedTradeAccountingAccount
435 - SpecifiedTradeSettlementFinancialCard
436 - SpecifiedAdvancePayment
437 - UltimatePayeeTradeParty
452 1 SpecifiedTradePaymentTerms
453 1 SpecifiedTradePaymentTerms/Description
461 1 ApplicableTradeTax/TaxPointDate
462 * one DueDateTypeCode value
470 * IBAN or proprietary id, not both`,
  MonetarySummation: `411 - InformationAmount
412 - TotalDiscountAmount
413 - TotalAllowanceChargeAmount
414 - RetailValueExcludingTaxInformationAmount
415 - TotalDepositFeeInformationAmount
416 - ProductValueExcludingTobaccoTaxInformationAmount
417 - TotalRetailValueInformationAmount
418 - GrossLineTotalAmount
419 - NetLineTotalAmount
420 - NetIncludingTaxesLineTotalAmount
477 1 LineTotalAmount
478 1 ChargeTotalAmount
479 1 AllowanceTotalAmount
480 1 TaxBasisTotalAmount
481 1 RoundingAmount
482 1 GrandTotalAmount
483 1 InformationAmount
484 1 TotalPrepaidAmount
485 1 TotalDiscountAmount
486 1 TotalAllowanceChargeAmount
487 1 DuePayableAmount
488 1 RetailValueExcludingTaxInformationAmount
489 1 TotalDepositFeeInformationAmount
490 1 ProductValueExcludingTobaccoTaxInformationAmount
491 1 TotalRetailValueInformationAmount
492 1 GrossLineTotalAmount
493 1 NetLineTotalAmount
494 1 NetIncludingTaxesLineTotalAmount`,
  Invoice: `DT-013 - @languageID
DT-014 - @languageLocaleID
438 - ValuationBreakdownStatement
467 * one payment means type code
468 * one payment means text
469 * one payment reference`,
  ContextParameter: `04 - Value
05 - SpecifiedDocumentVersion`,
  IdNoAttributes: `DT-001 - @schemeName
DT-002 - @schemeAgencyName
DT-003 - @schemeDataURI
DT-004 - @schemeURI
DT-005 - @schemeID
DT-006 - @schemeAgencyID
DT-007 - @schemeVersionID`,
  Id: `DT-101 - @schemeName
DT-102 - @schemeAgencyName
DT-103 - @schemeDataURI
DT-104 - @schemeURI`,
  TypeCode: `DT-008 - @name
DT-009 - @listURI`,
  LineCategoryCode: `DT-045 - @listID
DT-046 - @listAgencyID
DT-047 - @listVersionID
DT-048 - @listURI`,
  ReferencedDocument: `DT-015 * URIID only on an attachment (916)
DT-016 - StatusCode
DT-017 - CopyIndicator
DT-018 * TypeCode only on an additional document (50, 130, 916)
DT-019 - GlobalID
DT-020 - RevisionID
DT-021 * Name only on an attachment (916)
DT-022 * AttachmentBinaryObject only on an attachment (916)
DT-023 - Information
DT-024 * ReferenceTypeCode only on an invoiced object (130)
DT-025 - SectionName
DT-026 - PreviousRevisionID
DT-027 * FormattedIssueDateTime only on a preceding invoice
DT-028 - EffectiveSpecifiedPeriod
DT-029 - IssuerTradeParty
DT-030 - AttachedSpecifiedBinaryFile`,
  Amount: `DT-031 - @currencyID
DT-032 - @currencyCodeListVersionID`,
  Quantity: `DT-033 * unitCode only with a unit on the billed quantities
DT-034 - @unitCodeListID
DT-035 - @unitCodeListAgencyID
DT-036 - @unitCodeListAgencyName`,
  TradeTax: `DT-037 * TypeCode is VAT
DT-038 - CalculatedRate
DT-039 - CalculationSequenceNumeric
DT-040 - BasisQuantity
DT-041 * BasisAmount only in the header
DT-042 - UnitBasisAmount
DT-043 - LineTotalBasisAmount
DT-044 - AllowanceChargeBasisAmount
DT-049 - CurrencyCode
DT-050 - Jurisdiction
DT-051 - CustomsDutyIndicator
DT-052 * ExemptionReasonCode only on an ApplicableTradeTax
DT-098 * ExemptionReason only on an ApplicableTradeTax
DT-053 - TaxBasisAllowanceRate
DT-054 * TaxPointDate only in the header
DT-055 - Type
DT-056 - InformationAmount
DT-057 - CategoryName
DT-058 * DueDateTypeCode only in the header
DT-059 - RateApplicablePercent/@format
DT-060 - SpecifiedTradeAccountingAccount
DT-061 - ServiceSupplyTradeCountry
DT-062 - BuyerRepayableTaxSpecifiedTradeAccountingAccount
DT-063 - SellerPayableTaxSpecifiedTradeAccountingAccount
DT-064 - SellerRefundableTaxSpecifiedTradeAccountingAccount
DT-065 - BuyerDeductibleTaxSpecifiedTradeAccountingAccount
DT-066 - BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount
DT-067 - PlaceApplicableTradeLocation`,
  Period: `DT-068 - StartDateTime/udt:DateTime
DT-069 - DurationMeasure
DT-070 - InclusiveIndicator
DT-071 - Description
DT-072 - EndDateTime/udt:DateTime
DT-073 - CompleteDateTime
DT-074 - OpenIndicator
DT-075 - SeasonCode
DT-076 - ID
DT-077 - Name
DT-078 - SequenceNumeric
DT-079 - StartDateFlexibilityCode
DT-080 - ContinuousIndicator
DT-081 - PurposeCode`,
  Address: `DT-082 - ID
DT-083 - PostOfficeBox
DT-084 - BuildingName
DT-086 - LineFour
DT-087 - LineFive
DT-088 - StreetName
DT-089 - CitySubDivisionName
DT-090 - CountryName
DT-091 - CountrySubDivisionID
DT-092 - AttentionOf
DT-093 - CareOf
DT-094 - BuildingNumber
DT-095 - DepartmentName
DT-096 - AdditionalStreetName`,
  DateTimeString: `DT-097 * YYYYMMDD`,
};
