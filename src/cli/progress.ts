/**
 * Progress for long commands: one self-rewriting line on a TTY, plain lines otherwise (SPEC), on stderr so
 * stdout stays free for `--json`.
 */
export interface Progress {
  update(message: string): void;
  done(message: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, minIntervalMs = 1000): Progress {
  let last = 0;
  if (stream.isTTY) {
    return {
      update: (message) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        stream.write(`\r\x1b[2K${message}`);
      },
      done: (message) => stream.write(`\r\x1b[2K${message}\n`),
    };
  }
  return {
    update: (message) => {
      const now = Date.now();
      if (now - last < minIntervalMs) return;
      last = now;
      stream.write(`${message}\n`);
    },
    done: (message) => stream.write(`${message}\n`),
  };
}
