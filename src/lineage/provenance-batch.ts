/**
 * The Provenance resources that record one written batch of a job: which versions it wrote (versioned
 * references, so a later change of a resource is not credited to this job), what it did, who did it (this
 * software, for the job), from which input (the file and its SHA-256) and with which parameters. At most
 * MAX_TARGETS targets per Provenance keeps each one small enough to read, index and send in a notification.
 * A pure function: recording (record-lineage.ts) writes what it returns.
 * @see https://hl7.org/fhir/R4/provenance.html
 */
import type { CodeableConcept, Extension, Provenance, ProvenanceEntity } from 'fhir/r4.js';

export const MAX_TARGETS = 1000;

const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
export const ACTIVITY_SYSTEM = 'urn:medgen-data:activity';
/** Identifies an input by the SHA-256 (hex) of its bytes. */
export const SHA256_SYSTEM = 'urn:medgen-data:sha256';
/** The job as an identifier of the agent that wrote. */
export const JOB_SYSTEM = 'urn:medgen-data:job';
/** The job: its id, kind and parameters (JSON). */
export const JOB_EXTENSION = 'urn:medgen-data:StructureDefinition/job';
export const AGENT = 'medgen-data';

/** What a batch did: plain data operations, or a job's own transformation (a merge, an orphan cleanup). */
export type Activity = 'create' | 'update' | 'merge' | 'cleanup';

const ACTIVITIES: Record<Activity, CodeableConcept> = {
  create: { coding: [{ system: DATA_OPERATION, code: 'CREATE', display: 'create' }] },
  update: { coding: [{ system: DATA_OPERATION, code: 'UPDATE', display: 'update' }] },
  merge: { coding: [{ system: DATA_OPERATION, code: 'UPDATE', display: 'update' }, { system: ACTIVITY_SYSTEM, code: 'merge', display: 'patient merge' }] },
  cleanup: { coding: [{ system: DATA_OPERATION, code: 'DELETE', display: 'delete' }, { system: ACTIVITY_SYSTEM, code: 'cleanup', display: 'orphan cleanup' }] },
};

export interface LineageJob {
  id: string;
  /** import, enhance-imaging, dedupe, cleanup-orphans, … */
  kind: string;
  /** What the job was asked (JSON-safe). */
  parameters?: Record<string, unknown>;
}

/** The input a batch was read from. */
export interface LineageInput {
  file: string;
  /** Hex SHA-256 of the input's bytes; absent when the input was never held whole (a streamed request body). */
  sha256?: string;
}

export interface ProvenanceBatch {
  job: LineageJob;
  activity: Activity;
  /** Versioned references (`Type/id/_history/N`) of what the batch wrote. */
  targets: readonly string[];
  /** The Provenance's own meta.source: the job's (or the input file's) source. */
  source: string;
  input?: LineageInput;
  /** When the batch was written (ISO instant). */
  recorded: string;
}

function jobExtension(job: LineageJob): Extension {
  const extension: Extension[] = [{ url: 'id', valueString: job.id }, { url: 'kind', valueCode: job.kind }];
  if (job.parameters !== undefined) extension.push({ url: 'parameters', valueString: JSON.stringify(job.parameters) });
  return { url: JOB_EXTENSION, extension };
}

function entityOf(input: LineageInput): ProvenanceEntity {
  const what = input.sha256 === undefined ? { display: input.file } : { display: input.file, identifier: { system: SHA256_SYSTEM, value: input.sha256 } };
  return { role: 'source', what };
}

/** One Provenance per MAX_TARGETS targets, in the order given; none for no targets. */
export function provenanceBatch(batch: ProvenanceBatch): Provenance[] {
  const out: Provenance[] = [];
  const shared = {
    meta: { source: batch.source },
    extension: [jobExtension(batch.job)],
    recorded: batch.recorded,
    activity: ACTIVITIES[batch.activity],
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler', display: 'Assembler' }] },
        who: { display: AGENT, identifier: { system: JOB_SYSTEM, value: batch.job.id } },
      },
    ],
    ...(batch.input ? { entity: [entityOf(batch.input)] } : {}),
  };
  for (let i = 0; i < batch.targets.length; i += MAX_TARGETS) {
    out.push({ resourceType: 'Provenance', ...shared, target: batch.targets.slice(i, i + MAX_TARGETS).map((reference) => ({ reference })) });
  }
  return out;
}
