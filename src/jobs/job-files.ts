/**
 * A job's files: its saved input, its outputs and its error file, under the key `jobs/<id>/` of the file
 * store. Workers read and write local paths, so a run works in a local folder: with the local driver that is
 * the job's own folder in the data directory (today's layout, nothing copied); with object storage it is a
 * scratch folder of this process, the input is fetched into it first and the results are sent up at the end,
 * which is how a job finished by any process is served by every other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../files/file-store.js';

export const ERROR_FILE = 'errors.ndjson';

export const jobKey = (id: string, name?: string) => (name === undefined ? `jobs/${id}/` : `jobs/${id}/${name}`);

export interface JobFolder {
  /** The local folder the worker writes in. */
  dir: string;
  /** Sends the named files of `dir` that exist to the file store (nothing to do when `dir` is the store's). */
  publish(names: string[], signal?: AbortSignal): Promise<void>;
  /** Removes a scratch folder (the local driver's folder stays: it is the job's files). */
  dispose(): void;
}

/** The local folder of a run of job `id`, with its input (when it has one) in place. */
export async function openJobFolder(files: FileStore, scratchRoot: string, id: string, input: string | undefined): Promise<JobFolder> {
  const own = files.localPath(jobKey(id, ERROR_FILE));
  if (own !== undefined) {
    const dir = path.dirname(own);
    fs.mkdirSync(dir, { recursive: true });
    return { dir, publish: async () => undefined, dispose: () => undefined };
  }
  const dir = path.join(scratchRoot, id);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (input !== undefined) {
    const body = await files.read(jobKey(id, input));
    if (body === null) throw new Error(`the input ${input} of job ${id} is missing from ${files.location}`);
    await pipeline(body, fs.createWriteStream(path.join(dir, input)));
  }
  return {
    dir,
    publish: async (names, signal) => {
      for (const name of names) {
        const file = path.join(dir, name);
        if (fs.existsSync(file)) await files.write(jobKey(id, name), fs.createReadStream(file), { signal });
      }
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
