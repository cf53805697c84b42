/**
 * Compiles one branch of a SearchParameter expression into a native path plan, for the forms the
 * official R4 expressions use: dotted paths, `(X.y as T)` / `.as(T)` / `.ofType(T)` on choice elements,
 * `.where(resolve() is T)` on references, `.where(field='literal')` and `.extension('url')`.
 * Anything else returns null and is left to fhirpath.js (see fallback-path.ts).
 * Element types come from the fhirpath.js R4 model, so each value found carries its FHIR type.
 * @see https://hl7.org/fhir/R4/fhirpath.html
 */
import type { Model } from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

export type Step =
  /** Follow one JSON property; values get `type`. */
  | { kind: 'field'; key: string; type: string }
  /** Options of a choice element (last step only): each `value[x]` property with its type. */
  | { kind: 'choice'; keys: string[]; types: string[] }
  /** `where(resolve() is T)`: keep References whose literal reference names type T. */
  | { kind: 'refType'; type: string }
  /** `where(field='literal')`: keep elements whose primitive `field` equals the literal. */
  | { kind: 'equals'; field: string; value: string };

export interface PathPlan {
  rootType: string;
  steps: Step[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AS_TYPE = /^(?:as|ofType)\(\s*([A-Za-z]+)\s*\)$/;
const RESOLVE_IS = /^where\(\s*resolve\(\)\s+is\s+([A-Za-z]+)\s*\)$/;
const WHERE_EQUALS = /^where\(\s*([A-Za-z]+)\s*=\s*'([^'\\]*)'\s*\)$/;
const EXTENSION_URL = /^extension\(\s*'([^'\\]*)'\s*\)$/;
const PAREN_AS = /^\(([^()]*) as ([A-Za-z]+)\)(.*)$/;

/** Splits `a.b.where(x='y.z').c` on the dots outside parentheses and string literals. */
function segments(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quoted) quoted = c !== "'";
    else if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '.' && depth === 0) {
      parts.push(path.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(path.slice(start).trim());
  return parts;
}

const isPrimitive = (type: string) => /^[a-z]/.test(type) || type.startsWith('System.');
/** The type name a value is reported with: the model writes `System.String` for ids and urls. */
const valueType = (type: string) => (type.startsWith('System.') ? type.slice(7).toLowerCase() : type);

/** Whether `type` is `target` or derives from it (FHIRPath `is`/`as`/`ofType` accept subtypes). */
function isA(model: Model, type: string, target: string): boolean {
  for (let t: string | undefined = type; t !== undefined; t = model.type2Parent[t]) if (t === target) return true;
  return false;
}

/** Compiles `branch` (rooted at a resource type) into a plan, or null when the native walker cannot run it. */
export function compilePath(branch: string, model: Model = r4): PathPlan | null {
  const parenAs = PAREN_AS.exec(branch.trim());
  const parts = parenAs ? [...segments(parenAs[1]), `ofType(${parenAs[2]})`, ...segments(parenAs[3].replace(/^\./, ''))] : segments(branch);
  const path = parts.filter((p, i) => p.length > 0 || i === 0);
  const rootType = path[0];
  if (!IDENT.test(rootType) || model.type2Parent[rootType] === undefined) return null;
  const steps: Step[] = [];
  // Where children of the current element are described in the model: a type name or a backbone path.
  let typePath = rootType;
  let type = rootType;
  for (let i = 1; i < path.length; i++) {
    const part = path[i];
    const asType = AS_TYPE.exec(path[i + 1] ?? '');
    let m: RegExpExecArray | null;
    if (IDENT.test(part)) {
      if (isPrimitive(type)) return null;
      const elementPath = model.pathsDefinedElsewhere[`${typePath}.${part}`] ?? `${typePath}.${part}`;
      const choices = model.choiceTypePaths[elementPath];
      if (choices) {
        // `as`/`ofType` select the options of that type or a subtype (`as uri` takes canonical too).
        const options = choices.filter((c) => !asType || isA(model, model.path2Type[`${elementPath}${c}`] ?? c, asType[1]));
        if (asType) i++;
        const keys = options.map((c) => part + c);
        const types = options.map((c) => valueType(model.path2Type[`${elementPath}${c}`] ?? c));
        if (i === path.length - 1) {
          steps.push({ kind: 'choice', keys, types });
          return { rootType, steps };
        }
        if (keys.length !== 1) return null;
        steps.push({ kind: 'field', key: keys[0], type: types[0] });
        type = typePath = model.path2Type[`${elementPath}${options[0]}`] ?? types[0];
        continue;
      }
      type = model.path2Type[elementPath];
      if (type === undefined) return null;
      if (asType) {
        if (!isA(model, type, asType[1])) return null;
        i++;
      }
      if (type === 'Resource') return null;
      steps.push({ kind: 'field', key: part, type: valueType(type) });
      typePath = type === 'BackboneElement' || type === 'Element' ? elementPath : type;
    } else if ((m = RESOLVE_IS.exec(part))) {
      if (type !== 'Reference') return null;
      steps.push({ kind: 'refType', type: m[1] });
    } else if ((m = WHERE_EQUALS.exec(part))) {
      const fieldPath = `${typePath}.${m[1]}`;
      const fieldType = model.path2Type[fieldPath];
      if (fieldType === undefined || !isPrimitive(fieldType) || model.path2Repeating[fieldPath]) return null;
      steps.push({ kind: 'equals', field: m[1], value: m[2] });
    } else if ((m = EXTENSION_URL.exec(part))) {
      if (isPrimitive(type) || model.path2Type[`${typePath}.extension`] === undefined) return null;
      steps.push({ kind: 'field', key: 'extension', type: 'Extension' }, { kind: 'equals', field: 'url', value: m[1] });
      type = typePath = 'Extension';
    } else return null;
  }
  return { rootType, steps };
}
