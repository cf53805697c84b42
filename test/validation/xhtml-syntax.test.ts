import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (resource: unknown) =>
  validateResource(resource)
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => ({ severity: i.severity, at: i.expression?.[0], message: i.diagnostics }));

describe('narrative XHTML well-formedness', () => {
  const patient = (div: string) => ({ resourceType: 'Patient', text: { status: 'generated', div } });
  const xhtml = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

  it('the div parses as XML: it starts with a tag, closes its elements in order, and escapes <', () => {
    for (const [div, why] of [
      ['plain text without markup', "does not start with a tag (found 'plain text without m')"],
      [xhtml('<p>unclosed'), "found '</div>' where '</p>' was expected"],
      [xhtml('a < b'), "'<' in the content of 'div' starts no tag (write '&lt;')"],
      [`${xhtml('a')}<p>b</p>`, 'more than one root element'],
      ['<div xmlns="http://www.w3.org/1999/xhtml"><p>a</p>', "the element 'div' is not closed"],
      ['<div xmlns="http://www.w3.org/1999/xhtml>a</div>', "the tag '<div' is not closed"],
    ]) {
      expect(errors(patient(div))).toEqual([{ severity: 'error', at: 'Patient.text.div', message: `Error parsing XHTML: ${why}` }]);
    }
  });

  it('comments, self-closed elements and quoted > in attributes parse', () => {
    expect(errors(patient(xhtml('<!-- x --><p title="a > b">a &lt; b<br/></p>')))).toEqual([]);
  });
});
