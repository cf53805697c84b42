// The checkpointing thread's entry: the sources are TypeScript, compiled on load by tsx as in the main thread.
import { tsImport } from 'tsx/esm/api';

await tsImport('./checkpoint-worker.ts', import.meta.url);
