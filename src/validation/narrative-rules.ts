/**
 * txt-1, a Narrative constraint whose FHIRPath (`htmlChecks()`) names a function only the reference
 * validator has: the XHTML may hold only the basic formatting elements of HTML 4, well-formed XML entities,
 * and no event handlers or scripts. Its twin txt-2 (some non-whitespace content) is not checked: official
 * examples the reference validator accepts have empty narratives.
 * @see https://hl7.org/fhir/R4/narrative.html#xhtml
 */
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';

const ALLOWED = new Set(
  ('a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img ' +
    'li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var').split(' '),
);
const TAG = /<([A-Za-z][\w:.-]*)([^>]*)>/g;
const ACTIVE_ATTRIBUTE = /(?:^|\s)on[a-z]+\s*=|(?:href|src)\s*=\s*["']?\s*javascript:/i;

/** XML knows five named entities; XHTML's others (`&reg;`) need a DTD that FHIR narrative does not load. */
const ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);)([^;\s&]{0,16});?/;

/** Why the narrative XHTML breaks txt-1, or undefined. */
function txt1Problem(div: string): string | undefined {
  const entity = ENTITY.exec(div);
  if (entity) return `invalid entity '${entity[0]}'`;
  for (const [, name, attributes] of div.matchAll(TAG)) {
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (!ALLOWED.has(local.toLowerCase())) return `element '${local}' is not allowed`;
    if (ACTIVE_ATTRIBUTE.test(attributes)) return `element '${local}' carries an event handler or script`;
  }
  return undefined;
}

/** Checks Narrative.div of the Narrative the walk is at. */
export function checkNarrative(node: Record<string, unknown>, ctx: WalkContext): void {
  const div = node.div;
  if (typeof div !== 'string') return;
  const problem = txt1Problem(div);
  if (problem) ctx.issues.push(issue('error', 'invariant', `txt-1: The narrative SHALL contain only the basic html formatting elements and attributes (${problem})`, pathOf(ctx, '.div')));
}
