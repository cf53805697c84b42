// Jest transformer: strips TypeScript with esbuild (already installed for tsx). Emits ES modules when jest
// runs in ESM mode, as `npm test` does. (Not @swc/jest: the npm mirror here lacks some of swc's platform
// binaries, which leaves a lockfile `npm ci` rejects.)
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename, options) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: options.supportsStaticESM ? 'esm' : 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
