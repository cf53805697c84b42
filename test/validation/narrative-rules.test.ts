import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => [i.severity, i.expression?.[0], i.diagnostics]);
const patient = (html: string, more: object = {}) => ({
  resourceType: 'Patient',
  text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>` },
  ...more,
});

describe('narrative XHTML: the elements and attributes of txt-1', () => {
  it('refuses an attribute HTML 4 formatting does not have, or one on an element it does not belong to', () => {
    expect(brief(patient('<p foo="bar">Text</p>'))).toEqual([
      ['error', 'Patient.text.div', "txt-1: The narrative SHALL contain only the basic html formatting elements and attributes (attribute 'foo' is not allowed on 'p')"],
    ]);
    expect(brief(patient('<p href="http://x.org">Text</p>'))[0]?.[2]).toContain("attribute 'href' is not allowed on 'p'");
    expect(brief(patient('<p onclick="go()">Text</p>'))[0]?.[2]).toContain("attribute 'onclick' is not allowed on 'p'");
  });

  it('accepts the formatting attributes, on any element or on their own', () => {
    const html =
      '<p class="c" style="color: red" id="top" lang="en" xml:lang="en" title="t">Text <a href="http://x.org" name="n" rel="x">x</a></p>' +
      '<table border="1" cellpadding="2"><tr><td colspan="2" nowrap="nowrap">x</td></tr></table><img src="http://x.org/a.png" alt="a" width="2"/>' +
      '<pre xml:space="preserve">x</pre><address>x</address><kbd>x</kbd>';
    expect(errors(patient(html))).toEqual([]);
  });
});

describe('narrative XHTML: local links resolve', () => {
  it('a hyperlink to #x needs an element with id x, an XHTML id or an <a name>, in the resource', () => {
    expect(brief(patient('<p>Narrative</p><a href="#fault-missing">See <b>below</b></a>'))).toEqual([
      ['error', 'Patient.text.div', "Hyperlink '#fault-missing' at 'div/a' for 'See below' does not resolve"],
    ]);
    expect(brief(patient('<p>x <a href="">here</a></p>'))).toEqual([['error', 'Patient.text.div', "Hyperlink at 'div/p/a' for 'here' is empty"]]);
    const targets = '<a href="#n">n</a> <a href="#t">t</a> <a href="#r">r</a> <a href="#c">c</a> <a href="#g">g</a> <a href="#">top</a> <a name="n"/><b id="t">x</b>';
    const resource = patient(targets, { id: 'r', contained: [{ resourceType: 'Organization', id: 'c', name: 'x' }], managingOrganization: { reference: '#c' }, name: [{ id: 'g', family: 'Doe' }] });
    expect(errors(resource)).toEqual([]);
  });

  it('two targets for one hyperlink is a warning, not an error', () => {
    const issues = validateResource(patient('<a href="#t">t</a><b id="t">x</b><i id="t">y</i>'));
    expect(issues.filter((i) => i.diagnostics?.startsWith('Hyperlink')).map((i) => [i.severity, i.expression?.[0], i.diagnostics])).toEqual([
      ['warning', 'Patient.text.div', "Hyperlink '#t' at 'div/a' for 't' resolves to 2 targets"],
    ]);
  });

  it('in a Bundle, a hyperlink may lead to any entry; an image source only into its own resource', () => {
    const entry = (id: string, html: string) => ({ fullUrl: `urn:uuid:${id}`, resource: { ...patient(html), id } });
    const bundle = (html: string) => ({ resourceType: 'Bundle', type: 'collection', entry: [entry('0a4e4a10-0d6f-4a4b-9a6e-3a8c1f0b0e11', html), entry('5f0c3f86-9d43-4c58-8f73-2b1a4c7d9e20', '<p id="there">x</p>')] });
    expect(errors(bundle('<a href="#there">there</a>'))).toEqual([]);
    expect(brief(bundle('<img src="#there" alt="x"/>'))).toEqual([['error', 'Bundle.entry[0].resource.text.div', "Image source '#there' at 'div/img' does not resolve"]]);
  });
});
