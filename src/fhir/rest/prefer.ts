/**
 * The Prefer header: `return=minimal|representation|OperationOutcome` and `handling=strict|lenient`.
 * @see https://hl7.org/fhir/R4/http.html#return
 */
export interface Preferences {
  /** Undefined when the client did not say; single interactions then return the resource, bundles do not. */
  return?: 'minimal' | 'representation' | 'OperationOutcome';
  /** `handling=strict`: a search fails on parameters it does not support instead of ignoring them. */
  strict: boolean;
  respondAsync: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const tokens = new Map<string, string>();
  for (const part of (header ?? '').split(/[,;]/)) {
    const [key, value = ''] = part.split('=').map((s) => s.trim());
    if (key) tokens.set(key.toLowerCase(), value.replace(/^"|"$/g, ''));
  }
  const ret = tokens.get('return');
  return {
    return: ret === 'minimal' || ret === 'OperationOutcome' || ret === 'representation' ? ret : undefined,
    strict: tokens.get('handling') === 'strict',
    respondAsync: tokens.has('respond-async'),
  };
}
