/**
 * `setup --synthea` without a network: a home that holds the version answers at once, and without Maven the
 * error says how to get Synthea otherwise. The Maven download itself runs in CI (tools/synthea/build.sh, then
 * synthea-engine.test.ts runs what it fetched).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SYNTHEA_VERSION, installedSynthea } from '../../src/generate/synthea-home.js';
import { checkMaven, installSynthea, syntheaPom } from '../../src/generate/synthea-install.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-synthea-home-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('installSynthea', () => {
  it('answers at once when the home already holds that version, without asking Maven', async () => {
    fs.mkdirSync(path.join(home, 'lib'));
    fs.writeFileSync(path.join(home, 'lib', `synthea-${SYNTHEA_VERSION}.jar`), '');
    const done = await installSynthea(home, { mvn: '/nonexistent/bin/mvn' });
    expect(done).toEqual({ home, version: SYNTHEA_VERSION, classpath: path.join(home, 'lib', '*'), jars: 1, cached: true });
  });

  it('without Maven says how to install it or download the release jar instead, and writes nothing', async () => {
    expect(checkMaven('/nonexistent/bin/mvn')).toMatchObject({ ok: false, detail: expect.stringMatching(/Maven not found .*apt-get install maven.*medgen-data setup --synthea.*curl -LO https:\/\/github\.com\/synthetichealth\/synthea.*SYNTHEA_JAR=/) });
    await expect(installSynthea(home, { mvn: '/nonexistent/bin/mvn' })).rejects.toThrow(/Maven not found/);
    expect(fs.readdirSync(home)).toEqual([]);
    expect(installedSynthea(home)).toBeUndefined();
  });

  it('asks Maven for Synthea and an SLF4J binding only, with the copy plugin pinned', () => {
    const pom = syntheaPom('3.3.0');
    expect(pom.match(/<artifactId>[^<]+<\/artifactId>\s*<version>[^<]+<\/version>/g)).toEqual([
      '<artifactId>synthea-runtime</artifactId>\n  <version>3.3.0</version>',
      '<artifactId>synthea</artifactId>\n      <version>3.3.0</version>',
      '<artifactId>slf4j-nop</artifactId>\n      <version>2.0.17</version>',
      '<artifactId>maven-dependency-plugin</artifactId>\n        <version>3.8.1</version>',
    ]);
    expect(pom).not.toMatch(/<!--(?:(?!-->)[\s\S])*--(?!>)/);
  });
});
