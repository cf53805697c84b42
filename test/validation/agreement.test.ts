import { agreement, issueLocation, judge, location } from '../../scripts/compare-validators/agreement.js';

const error = (expression: string) => ({ severity: 'error', expression });

describe('validator agreement', () => {
  it('brings the two location notations together', () => {
    expect(location('Bundle.entry[0].resource/*Patient/p1*/.name[0].given[1]')).toBe('Bundle.entry.resource.name.given[1]');
    expect(location('Patient.name[0]')).toBe(location('Patient.name'));
  });

  it('names a choice element without its type, and drops extension url filters', () => {
    expect(location('Observation.value.ofType(Quantity)')).toBe('Observation.value');
    expect(location('Observation.valueQuantity.unit')).toBe('Observation.value.unit');
    expect(location('Organization.extension[3].value[x]')).toBe(location('Organization.extension[3].valueInteger'));
    expect(location("Group.modifierExtension[0][url='http://x/y']")).toBe(location('Group.modifierExtension[0]'));
    expect(location('Observation.valueQuantity')).not.toBe(location('Observation.component'));
  });

  it("places the reference validator's unknown property on the property, as ours does", () => {
    const theirs = { severity: 'error', expression: 'Organization.telecom[0]', message: "Unrecognized property 'comment'" };
    expect(issueLocation(theirs)).toBe(location('Organization.telecom[0].comment'));
    expect(issueLocation({ severity: 'error', expression: 'Organization.telecom[0]', message: 'Other' })).toBe('Organization.telecom');
  });

  it('judges a verdict by errors only, and a location where both find errors', () => {
    expect(judge({ key: 'a', category: 'c', ours: [{ severity: 'warning', expression: 'Patient' }], theirs: [] })).toEqual({ verdict: true });
    expect(judge({ key: 'a', category: 'c', ours: [error('Patient.gender')], theirs: [] })).toEqual({ verdict: false });
    expect(judge({ key: 'a', category: 'c', ours: [error('Patient.gender')], theirs: [error('Patient.birthDate'), error('Patient.gender')] })).toEqual({ verdict: true, location: true });
    expect(judge({ key: 'a', category: 'c', ours: [error('Patient')], theirs: [{ severity: 'fatal', expression: 'Patient.x' }] })).toEqual({ verdict: true, location: false });
  });

  it('counts per category and overall', () => {
    const rows = agreement([
      { key: '1', category: 'b', ours: [error('X.a')], theirs: [error('X.a')] },
      { key: '2', category: 'b', ours: [], theirs: [error('X.a')] },
      { key: '3', category: 'a', ours: [], theirs: [] },
    ]);
    expect(rows).toEqual([
      { category: 'a', resources: 1, verdictAgrees: 1, bothErrors: 0, locationAgrees: 0 },
      { category: 'b', resources: 2, verdictAgrees: 1, bothErrors: 1, locationAgrees: 1 },
      { category: 'all', resources: 3, verdictAgrees: 2, bothErrors: 1, locationAgrees: 1 },
    ]);
  });
});
