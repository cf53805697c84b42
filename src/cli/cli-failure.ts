/**
 * A command that ran and could not do its work (exit 1), or was given input it cannot use (exit 2): main
 * prints the message alone. commander's own `program.error` follows every message with the whole usage
 * text and, through main, always exited 2, so a refused restore read as a usage error.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
