#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on load (cached), so no build step is needed
// between `npm install` and the first command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
