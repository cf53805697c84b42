/**
 * txt-1 and txt-2, Narrative constraints whose FHIRPath (`htmlChecks()`) names a function only the reference
 * validator has: the XHTML is one `div` in the XHTML namespace, holding only the basic formatting elements of
 * HTML 4, well-formed XML entities, no event handlers or scripts (txt-1), and some non-whitespace content or
 * an image (txt-2), as the reference validator judges them.
 * @see https://hl7.org/fhir/R4/narrative.html#xhtml
 */
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';
import { xhtmlSyntaxProblem } from './xhtml-syntax.js';

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

const ROOT = /^\s*<([A-Za-z][\w:.-]*)([^>]*)>/;
const XHTML_NAMESPACE = /\sxmlns\s*=\s*(["'])http:\/\/www\.w3\.org\/1999\/xhtml\1/;

/** What is wrong with the root element: its name, or its namespace. */
function rootProblem(div: string): string | undefined {
  const root = ROOT.exec(div);
  if (!root) return undefined;
  if (root[1] !== 'div') return `Wrong name on the XHTML ('${root[1]}') - must start with div`;
  if (!XHTML_NAMESPACE.test(root[2])) return `Wrong namespace on the XHTML, should be 'http://www.w3.org/1999/xhtml'`;
  return undefined;
}

/** txt-2: some text outside the tags (entities count as text), or an image; tested in place, as it runs on every narrative. */
const TEXT = /(?:^|>)[^<]*[^\s<]/;
const hasContent = (div: string) => TEXT.test(div) || /<img[\s>/]/i.test(div);

/** Checks Narrative.div of the Narrative the walk is at. */
export function checkNarrative(node: Record<string, unknown>, ctx: WalkContext): void {
  const div = node.div;
  if (typeof div !== 'string') return;
  // What does not parse has no elements or text to judge further.
  const syntax = xhtmlSyntaxProblem(div);
  if (syntax) {
    ctx.issues.push(issue('error', 'structure', `Error parsing XHTML: ${syntax}`, pathOf(ctx, '.div')));
    return;
  }
  const root = rootProblem(div);
  if (root) ctx.issues.push(issue('error', 'structure', root, pathOf(ctx, '.div')));
  if (!hasContent(div)) ctx.issues.push(issue('error', 'invariant', 'txt-2: The narrative SHALL have some non-whitespace content', pathOf(ctx, '.div')));
  const problem = txt1Problem(div);
  if (problem) ctx.issues.push(issue('error', 'invariant', `txt-1: The narrative SHALL contain only the basic html formatting elements and attributes (${problem})`, pathOf(ctx, '.div')));
}
