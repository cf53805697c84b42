/**
 * WADO-RS rendered resources and thumbnails (PS3.18 9.5, 9.6) for viewers' study lists: a frame of a stored
 * instance as image/png. A rendered study or series is every instance rendered, one image/png part each of a
 * multipart/related answer, streamed as each is drawn. A study's or series' thumbnail is its middle
 * instance's, the slice a reader would pick rather than the edge of the volume. PNG is the one media type
 * produced, so an Accept without it (nor image/* or *\/*) is a 406.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_9.5.html
 */
import { pipeline } from 'node:stream/promises';
import type { Request, Response, Router } from 'express';
import { badRequest, OperationOutcomeError, outcome, issue } from '../src/fhir/outcomes.js';
import type { FileStore } from '../src/files/file-store.js';
import type { Logger } from '../src/logger.js';
import { readInstance } from '../src/imaging/dicom-files.js';
import { instanceKeys, multipartType, newBoundary, seriesKeys, studyKeys } from '../src/imaging/dicomweb-retrieve.js';
import { encodePng, type Image8 } from '../src/imaging/png.js';
import { fitInto, renderFrame, viewportOf } from '../src/imaging/render-frame.js';

const THUMBNAIL = { width: 128, height: 128 };

type Uid = (req: Request, name: string, label: string) => string;

function acceptsPng(req: Request): void {
  const accept = req.headers.accept;
  if (!accept || /(^|,)\s*(\*\/\*|image\/\*|image\/png)\s*(;|,|$)/i.test(accept)) return;
  throw new OperationOutcomeError(406, outcome(issue('error', 'not-supported', 'Rendered resources are answered as image/png only')));
}

function frameOf(req: Request): number {
  const raw = String(req.params.frame);
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw badRequest(`Frame "${raw.slice(0, 20)}" is not one frame number`, 'frame');
  return Number(raw);
}

async function sendPng(req: Request, res: Response, fileStore: FileStore, key: string, frame: number, box?: { width: number; height: number }): Promise<void> {
  acceptsPng(req);
  const viewport = viewportOf(new URLSearchParams(req.url.split('?')[1] ?? '').get('viewport'), box);
  const image = renderFrame(await readInstance(fileStore, key), frame);
  res.status(200).type('image/png').send(encodePng(viewport ? fitInto(image, viewport) : image));
}

/** A multipart answer of PNG parts: `multipart/related` (of image/png, or of no stated type), `image/png`, or anything. */
function acceptsPngParts(req: Request): void {
  const accept = req.headers.accept;
  if (!accept || /(^|,)\s*(\*\/\*|multipart\/\*|image\/\*|image\/png)\s*(;|,|$)/i.test(accept)) return;
  if (/(^|,)\s*multipart\/related\s*(,|$|;(?![^,]*type=)|;[^,]*type="?image\/png)/i.test(accept)) return;
  throw new OperationOutcomeError(406, outcome(issue('error', 'not-supported', 'Rendered studies and series are answered as multipart/related; type="image/png" only')));
}

/** The parts, each instance's first frame as image/png; `first` is already drawn. */
async function* renderedParts(fileStore: FileStore, first: Image8, rest: string[], boundary: string, viewport: { width: number; height: number } | undefined): AsyncGenerator<Buffer> {
  const part = (image: Image8) => [Buffer.from(`--${boundary}\r\nContent-Type: image/png\r\n\r\n`), encodePng(viewport ? fitInto(image, viewport) : image), Buffer.from('\r\n')];
  yield* part(first);
  for (const key of rest) yield* part(renderFrame(await readInstance(fileStore, key), 1));
  yield Buffer.from(`--${boundary}--\r\n`);
}

async function sendRenderedParts(req: Request, res: Response, fileStore: FileStore, keys: string[], logger: Logger): Promise<void> {
  acceptsPngParts(req);
  const viewport = viewportOf(new URLSearchParams(req.url.split('?')[1] ?? '').get('viewport'));
  // The first instance is drawn before the status is sent, so a file that cannot be rendered is a clean error.
  const first = renderFrame(await readInstance(fileStore, keys[0]), 1);
  const boundary = newBoundary();
  res.status(200).setHeader('Content-Type', multipartType(boundary, 'image/png'));
  await pipeline(renderedParts(fileStore, first, keys.slice(1), boundary, viewport), res).catch((err: unknown) => {
    // The status is sent: all that is left is to end the answer short and say why in the log.
    logger.error({ err, url: req.originalUrl }, 'rendered study or series ended early');
    res.destroy();
  });
}

const middle = (keys: string[]) => keys[Math.floor(keys.length / 2)];

export function addRenderedRoutes(router: Router, fileStore: FileStore, uid: Uid, logger: Logger): void {
  const instance = async (req: Request) =>
    (await instanceKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'), uid(req, 'instance', 'SOPInstanceUID')))[0];
  const instancePath = '/studies/:study/series/:series/instances/:instance';

  router.get(`${instancePath}/rendered`, async (req, res) => sendPng(req, res, fileStore, await instance(req), 1));
  router.get(`${instancePath}/frames/:frame/rendered`, async (req, res) => {
    const frame = frameOf(req);
    await sendPng(req, res, fileStore, await instance(req), frame);
  });
  router.get(`${instancePath}/thumbnail`, async (req, res) => sendPng(req, res, fileStore, await instance(req), 1, THUMBNAIL));
  router.get(`${instancePath}/frames/:frame/thumbnail`, async (req, res) => {
    const frame = frameOf(req);
    await sendPng(req, res, fileStore, await instance(req), frame, THUMBNAIL);
  });
  router.get('/studies/:study/series/:series/rendered', async (req, res) => {
    await sendRenderedParts(req, res, fileStore, await seriesKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID')), logger);
  });
  router.get('/studies/:study/rendered', async (req, res) => {
    await sendRenderedParts(req, res, fileStore, await studyKeys(fileStore, uid(req, 'study', 'StudyInstanceUID')), logger);
  });
  router.get('/studies/:study/series/:series/thumbnail', async (req, res) => {
    await sendPng(req, res, fileStore, middle(await seriesKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'))), 1, THUMBNAIL);
  });
  router.get('/studies/:study/thumbnail', async (req, res) => {
    await sendPng(req, res, fileStore, middle(await studyKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'))), 1, THUMBNAIL);
  });
}
