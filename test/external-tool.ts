/**
 * Tests that call a program outside Node (chromium, dicom3tools, dcmtk, a JDK) run only where it is
 * installed: `.ci/run` installs them, and `npm test` must still pass on a machine with only Node. A skip
 * says so twice, in the test's name and in one console.warn, so that a green run without the tools is
 * not mistaken for one that checked what they check.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A test function: `test` itself, or one that skips under a name carrying the reason. */
export type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * The path of the executable `tool` on PATH, else the first of `alsoAt` that is executable; undefined
 * when there is none. Searched here rather than with `which`, which a bare machine may lack as well.
 */
export function findTool(tool: string, alsoAt: string[] = []): string | undefined {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, tool));
  return [...onPath, ...alsoAt].find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * A test function that skips: each test's name ends with `(skipped: <reason>)`, and the reason is
 * warned once, here, since jest lists skipped tests only by count.
 */
export function skipped(reason: string): TestFn {
  console.warn(`skipped: ${reason}`);
  return (name, fn, timeout) => test.skip(`${name} (skipped: ${reason})`, fn, timeout);
}

/**
 * `test` when every one of `tools` is on PATH, so the test runs exactly as written; otherwise
 * {@link skipped} with the reason `<missing tools> not found; <why>`.
 */
export function needsTool(tools: string | string[], why: string): TestFn {
  const missing = [tools].flat().filter((tool) => !findTool(tool));
  return missing.length ? skipped(`${missing.join(', ')} not found; ${why}`) : test;
}
