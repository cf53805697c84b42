/** How the CLI tests check a refusal, the same for every command. */
import type { SpawnSyncReturns } from 'node:child_process';

/** `medgen-data <command>` refused its input: exit 2, one line on stderr from the command, no usage text, nothing on stdout; the line. */
export function refusedBy(command: string, result: SpawnSyncReturns<string>): string {
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`^medgen-data ${command}: `));
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/Usage:/);
  expect(result.stdout).toBe('');
  return result.stderr;
}
