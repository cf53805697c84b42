/**
 * The FHIR operations this server offers. Each lives in its own file (definition, parameters, handler);
 * an operation is listed here, and so in the CapabilityStatement, only once it works.
 */
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import { backupOperation } from './backup.js';
import { everythingOperation } from './everything.js';
import { exportOperation } from './export.js';
import { generateOperation } from './generate.js';
import { importOperation } from './import.js';
import { lineageOperation } from './lineage.js';
import { maintenanceOperation } from './maintenance.js';
import { matchOperation } from './match.js';
import { restoreOperation } from './restore.js';
import { subsetOperation } from './subset.js';
import { subscriptionEventsOperation } from './subscription-events.js';
import { subscriptionStatusOperation } from './subscription-status.js';
import { validateOperation } from './validate.js';

export const operations: FhirOperation[] = [importOperation, validateOperation, generateOperation, backupOperation, restoreOperation, maintenanceOperation, exportOperation, subsetOperation, everythingOperation, matchOperation, lineageOperation, subscriptionStatusOperation, subscriptionEventsOperation];
