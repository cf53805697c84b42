/**
 * The element table of schemas/fhir-elements.json (see scripts/derive-validation-definitions.ts and
 * src/validation/element-definitions.ts for its shape).
 */
import { readFileSync } from 'node:fs';
import type { Bundle, ElementDefinition, StructureDefinition } from 'fhir/r4.js';
import type { ConstraintDef, ElementDef, ElementsFile, TypeDef } from '../../src/validation/element-definitions.js';

const examples = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);
const NATIVE = new Set(['ele-1', 'ext-1']);
const SD_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';

function definitions(name: string): StructureDefinition[] {
  const bundle = JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition');
}

/** `http://hl7.org/fhirpath/System.String` (the type of `id` and `url` attributes) is a plain string. */
function typeCode(code: string): string {
  return code.startsWith('http://hl7.org/fhirpath/System.') ? 'string' : code;
}

function elementDef(sd: StructureDefinition, el: ElementDefinition, bindings: Set<string>): ElementDef {
  const def: ElementDef = { min: el.min ?? 0, max: el.max === '*' || Number(el.max) > 1 ? '*' : el.max === '0' ? 0 : 1, types: [] };
  const backbone = el.type?.some((t) => t.code === 'BackboneElement' || t.code === 'Element') && el.path.includes('.');
  if (el.contentReference) def.types = [el.contentReference.slice(1)];
  else if (backbone) def.types = [el.path];
  else def.types = (el.type ?? []).map((t) => typeCode(t.code));
  const targets = (el.type ?? []).flatMap((t) => (t.code === 'Reference' ? t.targetProfile ?? [] : [])).map((p) => p.replace(SD_PREFIX, ''));
  if (targets.length > 0 && !targets.includes('Resource')) def.targets = [...new Set(targets)];
  if (el.binding?.strength === 'required' && el.binding.valueSet) {
    def.valueSet = el.binding.valueSet.split('|')[0];
    bindings.add(def.valueSet);
  }
  return def;
}

/** dom-3 calls `trace()`, which would print on every evaluation; it does not change the result. */
function withoutTrace(expression: string): string {
  return expression.replace(/\.trace\('[^']*'(?:,\s*[A-Za-z.]+)?\)/g, '');
}

function constraintsOf(sd: StructureDefinition, el: ElementDefinition, isRoot: boolean): ConstraintDef[] {
  return (el.constraint ?? [])
    .filter((c) => !NATIVE.has(c.key) && c.expression && (isRoot || !c.source || c.source === sd.url))
    .map((c) => ({ key: c.key, severity: c.severity === 'warning' ? 'warning' : 'error', expression: withoutTrace(c.expression!), human: c.human }));
}

export function deriveElements(): ElementsFile & { bindings: Set<string> } {
  const bindings = new Set<string>();
  const types: Record<string, TypeDef> = {};
  const sds = [...definitions('Bundle-types.json'), ...definitions('Bundle-resources.json')].filter(
    (sd) => sd.derivation === 'specialization' && sd.kind !== 'logical' && sd.snapshot,
  );
  for (const sd of sds) {
    const resource = sd.kind === 'resource';
    for (const el of sd.snapshot!.element) {
      const dot = el.path.lastIndexOf('.');
      if (dot < 0) {
        types[el.path] = { kind: resource ? 'resource' : sd.kind === 'primitive-type' ? 'primitive' : 'complex', elements: {}, constraints: constraintsOf(sd, el, true) };
        continue;
      }
      const parent = el.path.slice(0, dot);
      types[parent] ??= { kind: 'complex', elements: {}, constraints: [] };
      const name = el.path.slice(dot + 1);
      // A primitive's `value` is the JSON value itself, checked by the JSON schema.
      if (types[el.path.split('.')[0]].kind === 'primitive') continue;
      types[parent].elements[name] = elementDef(sd, el, bindings);
      const own = constraintsOf(sd, el, false);
      if (own.length > 0 && types[parent].elements[name].types[0] === el.path) {
        types[el.path] ??= { kind: 'complex', elements: {}, constraints: [] };
        types[el.path].constraints = [...(types[el.path].constraints ?? []), ...own];
      } else if (own.length > 0) {
        types[parent].elements[name].constraints = own;
      }
    }
  }
  for (const t of Object.values(types)) if (t.constraints?.length === 0) delete t.constraints;
  return { types, bindings };
}
