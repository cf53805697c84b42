/** `medgen-data serve`: the HTTP server until SIGTERM or SIGINT, then a graceful stop. */
import type { Command } from 'commander';
import { createLogger } from '../logger.js';
import { startServer } from '../server.js';
import { addStoreOptions, configFrom } from './common-options.js';

export function registerServe(program: Command): void {
  addStoreOptions(program.command('serve').description('run the FHIR server'))
    .option('--port <port>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to listen on (HOST)')
    .action(async (options: Record<string, unknown>) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        program.error(`--port must be an integer from 0 to 65535, got "${options.port}"`, { exitCode: 2 });
      }
      const config = configFrom(options, { port, host: options.host as string | undefined });
      const logger = createLogger();
      const running = await startServer(config, logger);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'shutting down');
          void running.close().then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
