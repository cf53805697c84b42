/** The originals unchanged: what each validator says about the resources the faults start from. */
import type { Category } from '../fault.js';
import { clone } from '../json.js';

export const control: Category = {
  name: 'control',
  faults: [{ name: 'unchanged', expect: 'valid', sites: (s) => [{ target: String(s.resource.resourceType), make: () => clone(s.resource) }] }],
};
