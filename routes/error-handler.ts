/**
 * The one place errors become HTTP responses: OperationOutcomeErrors keep their status; errors from body
 * parsers a host app runs before us (bad JSON, too large) become 400/413; anything else is a logged 500.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../src/logger.js';
import { badRequest, OperationOutcomeError, serverError, tooLarge, unsupportedMediaType } from '../src/fhir/outcomes.js';
import { sendOutcome } from './send.js';

function fromParserError(err: { type?: string; status?: number; message?: string }): OperationOutcomeError | undefined {
  if (err.type === 'entity.too.large' || err.status === 413) return tooLarge('Request body is over the size limit');
  if (err.type === 'entity.parse.failed') return badRequest(`Request body is not valid JSON: ${err.message ?? ''}`);
  if (err.status === 415) return unsupportedMediaType(err.message ?? 'Unsupported media type');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return badRequest(err.message ?? 'Bad request');
  return undefined;
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    let error = err instanceof OperationOutcomeError ? err : fromParserError((err ?? {}) as object);
    if (!error) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      error = serverError('Internal server error');
    }
    sendOutcome(res, error);
  };
}
