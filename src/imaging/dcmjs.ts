/**
 * dcmjs loaded through its CommonJS build. Its ES build is a `.js` file in a package without
 * `"type": "module"`, which jest's ESM mode cannot load; the CommonJS build works under node and jest alike.
 */
import { createRequire } from 'node:module';
import type dcmjsModule from 'dcmjs';

const dcmjs = createRequire(import.meta.url)('dcmjs') as typeof dcmjsModule;

dcmjs.log.setLevel('error');

export const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;
