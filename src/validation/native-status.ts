/**
 * Native twins of the constraints that tie a Condition's or AllergyIntolerance's clinical status to its
 * verification status (con-3, con-4, con-5, ait-1, ait-2): each meets every such resource and costs fhirpath.js
 * its `where()` over the codings, about as long as the rest of the resource's validation.
 * @see https://hl7.org/fhir/R4/condition.html#invs
 */
import { asList, hasCoding, present, type Json, type NativeInvariant } from './native-support.js';

const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

const enteredInError = (node: Json, system: string) => hasCoding(node.verificationStatus, system, ['entered-in-error']);

/** Whether any variant of the choice `abatement[x]` is there. */
const hasAbatement = (node: Json) => Object.keys(node).some((k) => /^_?abatement[A-Z]/.test(k) && present(node, k.replace(/^_/, '')));

export const STATUS_INVARIANTS: Record<string, NativeInvariant> = {
  // `category.select($this = 'problem-list-item')` compares a CodeableConcept with a string: false for each
  // category, so the clause holds only when there is no category at all.
  'con-3': {
    expression:
      "clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.select($this='problem-list-item').empty()",
    check: (node) => present(node, 'clinicalStatus') || enteredInError(node, CONDITION_VERIFICATION) || asList(node.category).length === 0,
  },
  'con-4': {
    expression:
      "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
    check: (node) => !hasAbatement(node) || hasCoding(node.clinicalStatus, CONDITION_CLINICAL, ['resolved', 'remission', 'inactive']),
  },
  'con-5': {
    expression:
      "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code='entered-in-error').empty() or clinicalStatus.empty()",
    check: (node) => !enteredInError(node, CONDITION_VERIFICATION) || !present(node, 'clinicalStatus'),
  },
  'ait-1': {
    expression:
      "verificationStatus.coding.where(system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification' and code = 'entered-in-error').exists() or clinicalStatus.exists()",
    check: (node) => enteredInError(node, ALLERGY_VERIFICATION) || present(node, 'clinicalStatus'),
  },
  'ait-2': {
    expression:
      "verificationStatus.coding.where(system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification' and code = 'entered-in-error').empty() or clinicalStatus.empty()",
    check: (node) => !enteredInError(node, ALLERGY_VERIFICATION) || !present(node, 'clinicalStatus'),
  },
};
