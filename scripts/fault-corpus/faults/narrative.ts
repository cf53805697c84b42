/**
 * Narrative XHTML that is unsafe or not FHIR's XHTML (txt-1, txt-2 and the validator's XHTML checks): a script,
 * an event handler, a javascript: link, an element or attribute outside the allowed HTML subset, a link to an
 * anchor that is not there, an HTML entity XML does not define, a root other than a namespaced div. The
 * fragment goes into the original's narrative, or into a narrative added to a resource without one.
 * @see https://hl7.org/fhir/R4/narrative.html#xhtml
 */
import type { Random } from '../../../src/generate/prng.js';
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import type { Category, Fault } from '../fault.js';
import { edited, isObject, type Json } from '../json.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const PLAIN = `<div ${NS}><p>Narrative for a test</p></div>`;

const DISALLOWED = [
  '<iframe src="http://example.org/"></iframe>',
  '<object data="movie.swf"></object>',
  '<form action="http://example.org/"><input name="q"/></form>',
  '<style>p { color: red }</style>',
  '<button>Press</button>',
  '<embed src="movie.swf"/>',
];

/** Puts `fragment` at the end of the div's content; undefined for a div it cannot open. */
function inject(div: string, fragment: string): string | undefined {
  return /<\/div>\s*$/.test(div) ? div.replace(/<\/div>\s*$/, `${fragment}</div>`) : undefined;
}

/** A fault as a rewrite of the div (the original's, or a plain one added); undefined declines. */
function fault(name: string, rewrite: (div: string, rng: Random) => string | undefined): Fault {
  return {
    name,
    expect: 'error',
    sites: (s) => {
      const type = String(s.resource.resourceType);
      if (!typeDefinition(type)?.properties.has('text')) return [];
      const text = s.resource.text;
      const div = isObject(text) && typeof text.div === 'string' ? text.div : undefined;
      return [
        {
          target: `${type}.text.div`,
          make: (rng) => {
            const changed = rewrite(div ?? PLAIN, rng);
            if (changed === undefined) return undefined;
            return edited(s.resource, (copy) => {
              copy.text = div === undefined ? { status: 'generated', div: changed } : { ...(copy.text as Json), div: changed };
            });
          },
        },
      ];
    },
  };
}

export const narrative: Category = {
  name: 'narrative',
  faults: [
    fault('script-element', (d) => inject(d, '<script>alert(1)</script>')),
    fault('event-handler', (d) => inject(d, '<p onclick="alert(1)">Click</p>')),
    fault('javascript-link', (d) => inject(d, '<a href="javascript:alert(1)">Open</a>')),
    fault('disallowed-element', (d, rng) => inject(d, rng.pick(DISALLOWED))),
    fault('unknown-attribute', (d) => inject(d, '<p foo="bar">Text</p>')),
    fault('unresolved-anchor', (d) => inject(d, '<a href="#fault-missing">See below</a>')),
    fault('html-entity', (d) => inject(d, '<p>a&nbsp;b</p>')),
    fault('root-not-div', () => `<p ${NS}>Narrative for a test</p>`),
    fault('no-xhtml-namespace', (d) => (d.includes(NS) ? d.replace(` ${NS}`, '') : undefined)),
    fault('whitespace-only', () => `<div ${NS}> </div>`),
  ],
};
