/**
 * A Claim and an ExplanationOfBenefit for every encounter, in Synthea's shape: the encounter as the first
 * item, diagnoses, procedures, immunizations (as supportingInfo) and medications as further items; the EOB
 * carries its Coverage and referral as contained resources (`#coverage`, `#referral`) and Blue Button
 * adjudication amounts.
 * @see https://hl7.org/fhir/R4/claim.html
 * @see https://hl7.org/fhir/R4/explanationofbenefit.html
 */
import type { Claim, ClaimItem, Coverage, ExplanationOfBenefit, ExplanationOfBenefitItem, ServiceRequest } from 'fhir/r4.js';
import { YEAR, dateTime } from './clock.js';
import type { VisitContext } from './clinical-resources.js';
import { CVX, RXNORM, SNOMED, concept, round, urn } from './fhir-common.js';
import { locationRef, organizationRef, practitionerRef } from './providers.js';
import type { Code } from './tables.js';

export interface BillableItem {
  kind: 'diagnosis' | 'procedure' | 'immunization' | 'medication';
  id: string;
  code: Code;
  cost: number;
}

const SYSTEM = { diagnosis: SNOMED, procedure: SNOMED, immunization: CVX, medication: RXNORM };
const BASE_COST = { AMB: 129.16, EMER: 848.32, IMP: 3602.55 };
const BB = 'https://bluebutton.cms.gov/resources/';
/**
 * CMS place-of-service codes (the code set CARIN Blue Button binds EOB item location to). R4's own
 * ex-serviceplace holds only a subset: no emergency room (23), so the reference validator rejected it there.
 */
const POS = 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set';
const PLACE_OF_SERVICE = {
  AMB: { system: POS, code: '19', display: 'Off Campus-Outpatient Hospital' },
  EMER: { system: POS, code: '23', display: 'Emergency Room - Hospital' },
  IMP: { system: POS, code: '21', display: 'Inpatient Hospital' },
};
const usd = (value: number) => ({ value: round(value, 2), currency: 'USD' });

export function claimPair(claimId: string, eobId: string, v: VisitContext, type: Code, cls: keyof typeof BASE_COST, items: BillableItem[], payer: string, coinsurance: number): [Claim, ExplanationOfBenefit] {
  const claimType = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'institutional' }] };
  const diagnoses = items.filter((i) => i.kind === 'diagnosis');
  const procedures = items.filter((i) => i.kind === 'procedure');
  const infos = items.filter((i) => i.kind === 'immunization');
  const lines: ClaimItem[] = [{ sequence: 1, productOrService: concept(SNOMED, type), encounter: [urn(v.encounterId)] }];
  for (const item of items) {
    const line: ClaimItem = { sequence: lines.length + 1, productOrService: concept(SYSTEM[item.kind], item.code) };
    if (item.kind === 'diagnosis') line.diagnosisSequence = [diagnoses.indexOf(item) + 1];
    if (item.kind === 'procedure') line.procedureSequence = [procedures.indexOf(item) + 1];
    if (item.kind === 'immunization') line.informationSequence = [infos.indexOf(item) + 1];
    if (item.cost > 0) line.net = usd(item.cost);
    lines.push(line);
  }
  const total = BASE_COST[cls] + items.reduce((s, i) => s + i.cost, 0);
  const claim: Claim = {
    resourceType: 'Claim',
    id: claimId,
    status: 'active',
    type: claimType,
    use: 'claim',
    patient: { ...v.patient, display: v.patientName },
    billablePeriod: { start: dateTime(v.start), end: dateTime(v.end) },
    created: dateTime(v.end),
    provider: organizationRef(v.provider),
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    facility: locationRef(v.provider),
    ...(infos.length ? { supportingInfo: infos.map((i, n) => ({ sequence: n + 1, category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory', code: 'info' }] }, valueReference: urn(i.id) })) } : {}),
    ...(diagnoses.length ? { diagnosis: diagnoses.map((d, n) => ({ sequence: n + 1, diagnosisReference: urn(d.id) })) } : {}),
    ...(procedures.length ? { procedure: procedures.map((p, n) => ({ sequence: n + 1, procedureReference: urn(p.id) })) } : {}),
    insurance: [{ sequence: 1, focal: true, coverage: { display: payer } }],
    item: lines,
    total: usd(total),
  };
  const practitioner = practitionerRef(v.clinician);
  const place = { coding: [PLACE_OF_SERVICE[cls === 'AMB' || cls === 'EMER' ? cls : 'IMP']] };
  const adjudication = (code: string, display: string, amount: number) => ({ category: { coding: [{ system: `${BB}codesystem/adjudication`, code: `${BB}variables/${code}`, display }] }, amount: usd(amount) });
  const eobItems: ExplanationOfBenefitItem[] = lines.map((line) => {
    const net = line.sequence === 1 ? BASE_COST[cls] : line.net?.value ?? 0;
    return {
      ...line,
      category: { coding: [{ system: `${BB}variables/line_cms_type_srvc_cd`, code: '1', display: 'Medical care' }] },
      servicedPeriod: { start: dateTime(v.start), end: dateTime(v.end) },
      locationCodeableConcept: place,
      adjudication: [
        adjudication('line_coinsrnc_amt', 'Line Beneficiary Coinsurance Amount', net * coinsurance),
        adjudication('line_prvdr_pmt_amt', 'Line Provider Payment Amount', net * (1 - coinsurance)),
        adjudication('line_sbmtd_chrg_amt', 'Line Submitted Charge Amount', net),
        adjudication('line_alowd_chrg_amt', 'Line Allowed Charge Amount', net),
      ],
    };
  });
  const referral: ServiceRequest = { resourceType: 'ServiceRequest', id: 'referral', status: 'completed', intent: 'order', subject: v.patient, requester: practitioner, performer: [practitioner] };
  const coverage: Coverage = { resourceType: 'Coverage', id: 'coverage', status: 'active', type: { text: payer }, beneficiary: v.patient, payor: [{ display: payer }] };
  const eob: ExplanationOfBenefit = {
    resourceType: 'ExplanationOfBenefit',
    id: eobId,
    contained: [
      referral,
      coverage,
    ],
    identifier: [{ system: `${BB}variables/clm_id`, value: claimId }, { system: `${BB}identifier/claim-group`, value: '99999999999' }],
    status: 'active',
    type: claimType,
    use: 'claim',
    patient: v.patient,
    billablePeriod: { start: dateTime(v.end), end: dateTime(v.end + YEAR) },
    created: dateTime(v.end),
    insurer: { display: payer },
    provider: practitioner,
    referral: { reference: '#referral' },
    facility: locationRef(v.provider),
    claim: urn(claimId),
    outcome: 'complete',
    careTeam: [{ sequence: 1, provider: practitioner, role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claimcareteamrole', code: 'primary', display: 'Primary Care Practitioner' }] } }],
    insurance: [{ focal: true, coverage: { reference: '#coverage', display: payer } }],
    item: eobItems,
    total: [{ category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code: 'submitted', display: 'Submitted Amount' }], text: 'Submitted Amount' }, amount: usd(total) }],
    payment: { amount: usd(total * (1 - coinsurance)) },
  };
  return [claim, eob];
}
