/** The R4 schema validators kept between processes as ajv standalone code (src/validation/schema-cache.ts). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Results = { valid: boolean; errors: string[] }[];

const child = path.resolve('test/validation/schema-cache-child.ts');
/** Validates the child's samples in a fresh process, with validators from `dir`. */
const run = (dir: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, dir], { encoding: 'utf8' })) as Results;
const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cjs')) : []);

describe('schema validator cache', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-schema-cache-')), 'cache');
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  let compiled: Results;

  it('the first process compiles and writes the code; the next loads that file, untouched, and judges the same', () => {
    compiled = run(dir);
    expect(compiled.map((r) => r.valid)).toEqual([true, false, false, false]);
    expect(compiled[1].errors.join('\n')).toMatch(/\/gender enum/);
    expect(compiled[2].errors.join('\n')).toMatch(/\/contained\/0\/active type/);
    expect(compiled[3].errors.join('\n')).toMatch(/\/entry\/1\/resource discriminator/);
    const [name] = cacheFiles(dir);
    expect(cacheFiles(dir)).toEqual([name]);
    const written = fs.statSync(path.join(dir, name));

    expect(run(dir)).toEqual(compiled);
    // Compiling again would have renamed a new file into place.
    expect(fs.statSync(path.join(dir, name)).ino).toBe(written.ino);
  }, 60_000);

  it('a damaged cache file is compiled afresh and replaced', () => {
    const [name] = cacheFiles(dir);
    const file = path.join(dir, name);
    fs.writeFileSync(file, 'module.exports = {'); // a file cut short
    const damaged = fs.statSync(file).ino;
    expect(run(dir)).toEqual(compiled);
    expect(cacheFiles(dir)).toEqual([name]);
    expect(fs.statSync(file).ino).not.toBe(damaged);
    expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
  }, 60_000);
});
