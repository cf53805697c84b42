/**
 * `createDicomwebRouter`: DICOMweb for the studies $enhance-imaging wrote, mountable under any path
 * (the server mounts it at /dicomweb). QIDO-RS searches (studies, series and instances, within a study or
 * across all) answer DICOM JSON from the ImagingStudy index; WADO-RS metadata reads the files' own attributes;
 * WADO-RS streams the stored files untouched as multipart/related (the streaming exception to "handlers
 * do not write HTTP"); rendered frames and thumbnails are in dicomweb-rendered.ts. Every file is read through
 * the FileStore, so each replica of a deployment serves the same files. Errors are OperationOutcomes from the
 * shared error handler: a UID that is not a UID is 400, an unknown study/series/instance 404.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/PS3.18.html
 */
import express, { type Request, type Response, type Router } from 'express';
import type { FileStore } from '../src/files/file-store.js';
import { badRequest, notFound, OperationOutcomeError, outcome, issue } from '../src/fhir/outcomes.js';
import type { Logger } from '../src/logger.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { checkUid } from '../src/imaging/dicom-files.js';
import { framePixels, instanceMetadata, instancesMetadata } from '../src/imaging/dicomweb-metadata.js';
import { queryInstances, querySeries, queryStudies, type QidoPage } from '../src/imaging/dicomweb-query.js';
import { addIncluded, includeOf } from '../src/imaging/qido-include.js';
import { qidoQueryOf, type QidoLevel, type QidoQuery } from '../src/imaging/qido-keys.js';
import { instanceKeys, multipartType, newBoundary, seriesKeys, studyKeys, writeMultipart } from '../src/imaging/dicomweb-retrieve.js';
import { addRenderedRoutes } from './dicomweb-rendered.js';
import { errorHandler } from './error-handler.js';

export interface DicomwebRouterOptions {
  store: ResourceStore;
  /** Where the DICOM files are (the keys of dicom-files.ts). */
  fileStore: FileStore;
  logger: Logger;
}

const DICOM_JSON = 'application/dicom+json';

const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

/** The raw query (not Express's parser, which can turn keys into objects). */
const queryOf = (req: Request) => new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');

/** 406 unless the client accepts multipart/related (or anything). */
function acceptsMultipart(req: Request): void {
  const accept = req.headers.accept;
  if (!accept || /(^|,)\s*(\*\/\*|multipart\/\*|multipart\/related)/i.test(accept)) return;
  throw new OperationOutcomeError(406, outcome(issue('error', 'not-supported', 'WADO-RS answers multipart/related; type="application/dicom"')));
}

/**
 * The request's matching keys at `level`, and the attributes it asks to be included; what the answer must warn
 * of (PS3.18 8.3.4, 10.6.3): keys it cannot match, attributes the level does not have, fuzzy matching asked
 * for (matching here is literal).
 */
function qidoOf(req: Request, level: QidoLevel) {
  const params = queryOf(req);
  const query = qidoQueryOf(params, level);
  const include = includeOf(params, level);
  const notes: string[] = [];
  if (query.ignored.length > 0) notes.push(`The following query keys are not supported and were ignored: ${query.ignored.join(', ')}`);
  if (include.unavailable.length > 0) notes.push(`Not attributes of the ${level} level, so not included: ${include.unavailable.join(', ')}`);
  if (params.get('fuzzymatching') === 'true') notes.push('The fuzzymatching parameter is not supported. Only literal matching has been performed.');
  return { query, include, notes };
}

const warning = (notes: string[]) => notes.map((n) => `299 medgen-data "${n.replace(/[^\x20-\x7e]|"/g, '?')}"`).join(', ');

function sendJson(res: Response, body: unknown): void {
  res.status(200).type(DICOM_JSON).send(JSON.stringify(body));
}

async function sendParts(req: Request, res: Response, fileStore: FileStore, keys: string[], logger: Logger): Promise<void> {
  acceptsMultipart(req);
  const boundary = newBoundary();
  res.status(200).setHeader('Content-Type', multipartType(boundary));
  await writeMultipart(res, fileStore, keys, boundary).catch((err) => {
    logger.error({ err, url: req.originalUrl }, 'WADO-RS stream failed');
    res.destroy(err);
  });
}

export function createDicomwebRouter(options: DicomwebRouterOptions): Router {
  const { store, fileStore, logger } = options;
  const router = express.Router();
  const uid = (req: Request, name: string, label: string) => checkUid(String(req.params[name]), label);

  /** A QIDO-RS search at `level`: `run` finds the matches, the included attributes are added from the files. */
  const search = (level: QidoLevel, run: (req: Request, query: QidoQuery) => Promise<QidoPage>) => async (req: Request, res: Response) => {
    const { query, include, notes } = qidoOf(req, level);
    const { datasets, more } = await run(req, query);
    await addIncluded(fileStore, datasets, include, level);
    if (more) notes.push('There are additional results that can be requested');
    if (notes.length > 0) res.setHeader('Warning', warning(notes));
    sendJson(res, datasets);
  };
  router.get('/studies', search('study', (req, q) => queryStudies(store, q, baseUrlOf(req))));
  router.get('/series', search('series', (req, q) => querySeries(store, q, baseUrlOf(req))));
  router.get('/instances', search('instance', (req, q) => queryInstances(store, q, baseUrlOf(req))));
  router.get('/studies/:study/series', search('series', (req, q) => querySeries(store, q, baseUrlOf(req), uid(req, 'study', 'StudyInstanceUID'))));
  router.get('/studies/:study/instances', search('instance', (req, q) => queryInstances(store, q, baseUrlOf(req), uid(req, 'study', 'StudyInstanceUID'))));
  router.get(
    '/studies/:study/series/:series/instances',
    search('instance', (req, q) => queryInstances(store, q, baseUrlOf(req), uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'))),
  );

  router.get('/studies/:study', async (req, res) => {
    await sendParts(req, res, fileStore, await studyKeys(fileStore, uid(req, 'study', 'StudyInstanceUID')), logger);
  });
  router.get('/studies/:study/series/:series', async (req, res) => {
    await sendParts(req, res, fileStore, await seriesKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID')), logger);
  });
  router.get('/studies/:study/series/:series/instances/:instance', async (req, res) => {
    const found = await instanceKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'), uid(req, 'instance', 'SOPInstanceUID'));
    await sendParts(req, res, fileStore, found, logger);
  });

  router.get('/studies/:study/metadata', async (req, res) => {
    const study = uid(req, 'study', 'StudyInstanceUID');
    sendJson(res, await instancesMetadata(fileStore, await studyKeys(fileStore, study), `${baseUrlOf(req)}/studies/${study}`));
  });
  router.get('/studies/:study/series/:series/metadata', async (req, res) => {
    const [study, series] = [uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID')];
    sendJson(res, await instancesMetadata(fileStore, await seriesKeys(fileStore, study, series), `${baseUrlOf(req)}/studies/${study}`));
  });
  router.get('/studies/:study/series/:series/instances/:instance/metadata', async (req, res) => {
    const [study, series, sop] = [uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'), uid(req, 'instance', 'SOPInstanceUID')];
    const [key] = await instanceKeys(fileStore, study, series, sop);
    sendJson(res, [await instanceMetadata(fileStore, key, `${baseUrlOf(req)}/studies/${study}/series/${series}/instances/${sop}`)]);
  });
  /** Frames `1` or a list (`1,1`), one part each, in the order asked; every generated instance has one frame. */
  router.get('/studies/:study/series/:series/instances/:instance/frames/:frames', async (req, res) => {
    const raw = String(req.params.frames);
    if (!/^[1-9]\d{0,5}(,[1-9]\d{0,5}){0,99}$/.test(raw)) throw badRequest(`Frames "${raw.slice(0, 40)}" is not a list of frame numbers such as 1 or 1,2`, 'frames');
    const frames = raw.split(',').map(Number);
    const [key] = await instanceKeys(fileStore, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'), uid(req, 'instance', 'SOPInstanceUID'));
    const missing = frames.find((n) => n !== 1);
    if (missing !== undefined) throw notFound(`The instance has one frame; there is no frame ${missing}`);
    const boundary = newBoundary();
    const pixels = await framePixels(fileStore, key);
    const part = [Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`), pixels, Buffer.from('\r\n')];
    res.status(200).setHeader('Content-Type', multipartType(boundary, 'application/octet-stream'));
    res.end(Buffer.concat([...frames.flatMap(() => part), Buffer.from(`--${boundary}--\r\n`)]));
  });

  addRenderedRoutes(router, fileStore, uid, logger);

  router.use((req) => {
    throw notFound(`No DICOMweb route for ${req.method} ${req.path.slice(0, 200)}`);
  });
  router.use(errorHandler(logger));
  return router;
}
