/**
 * Attachment rules the reference validator adds to the base64Binary format: inline data and the hash are
 * decoded (strictly, as java.util.Base64 does), and a stated size and hash (SHA-1) must match the data's.
 * @see https://hl7.org/fhir/R4/datatypes.html#Attachment
 */
import { createHash } from 'node:crypto';
import { issue } from '../fhir/outcomes.js';
import { checkBase64, strictBase64Problem } from './base64.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/**
 * The hash and inline data must decode; Attachment.size, "number of bytes of content", must match inline data.
 */
export function checkAttachment(node: Json, ctx: WalkContext): void {
  let hashDecodes = false;
  if (typeof node.hash === 'string') {
    const problem = strictBase64Problem(node.hash);
    if (problem) ctx.issues.push(issue('error', 'structure', `The base64 content in the hash element is not valid base64: ${problem}`, pathOf(ctx)));
    else hashDecodes = true;
  }
  if (typeof node.data !== 'string') return;
  // Data that is not Base64 at all is the base64Binary format's error (primitive-formats.ts), not reported twice.
  const data = checkBase64(node.data);
  if (!data.valid) return;
  // Base64 without whitespace is what the strict decoder reads; with it, the decoder fails on the first blank.
  const problem = data.whitespace ? strictBase64Problem(node.data) : undefined;
  if (problem) {
    ctx.issues.push(issue('error', 'structure', `The base64 content in the data element is not valid base64: ${problem}`, pathOf(ctx)));
    return;
  }
  if (typeof node.size === 'number' && Number.isInteger(node.size) && node.size >= 0 && data.bytes !== node.size) {
    ctx.issues.push(issue('error', 'structure', `Stated attachment size ${node.size} does not match the size of its data (${data.bytes})`, pathOf(ctx)));
  }
  // "The calculated SHA-1 hash of the data": compared as bytes, so any valid Base64 spelling of it matches.
  if (hashDecodes) {
    const actual = createHash('sha1').update(Buffer.from(node.data, 'base64')).digest();
    if (!actual.equals(Buffer.from(node.hash as string, 'base64'))) {
      ctx.issues.push(issue('error', 'structure', `The hash of the data does not match the data (stated: '${(node.hash as string).slice(0, 100)}', actual: '${actual.toString('base64')}')`, pathOf(ctx)));
    }
  }
}
