/**
 * WADO-RS rendered resources and thumbnails (PS3.18 9.5, 9.6) for viewers' study lists: a frame of a stored
 * instance as image/png. A study's or series' thumbnail is its middle instance's, the slice a reader would
 * pick rather than the edge of the volume. PNG is the one media type produced, so an Accept without it
 * (nor image/* or *\/*) is a 406.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_9.5.html
 */
import type { Request, Response, Router } from 'express';
import { badRequest, OperationOutcomeError, outcome, issue } from '../src/fhir/outcomes.js';
import type { FileArea } from '../src/files/file-area.js';
import { instanceFiles, seriesFiles, studyFiles } from '../src/imaging/dicomweb-retrieve.js';
import { encodePng } from '../src/imaging/png.js';
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

async function sendPng(req: Request, res: Response, file: string, frame: number, box?: { width: number; height: number }): Promise<void> {
  acceptsPng(req);
  const viewport = viewportOf(new URLSearchParams(req.url.split('?')[1] ?? '').get('viewport'), box);
  const image = await renderFrame(file, frame);
  res.status(200).type('image/png').send(encodePng(viewport ? fitInto(image, viewport) : image));
}

const middle = (files: string[]) => files[Math.floor(files.length / 2)];

export function addRenderedRoutes(router: Router, files: FileArea, uid: Uid): void {
  const instance = async (req: Request) =>
    (await instanceFiles(files, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'), uid(req, 'instance', 'SOPInstanceUID')))[0];
  const instancePath = '/studies/:study/series/:series/instances/:instance';

  router.get(`${instancePath}/rendered`, async (req, res) => sendPng(req, res, await instance(req), 1));
  router.get(`${instancePath}/frames/:frame/rendered`, async (req, res) => {
    const frame = frameOf(req);
    await sendPng(req, res, await instance(req), frame);
  });
  router.get(`${instancePath}/thumbnail`, async (req, res) => sendPng(req, res, await instance(req), 1, THUMBNAIL));
  router.get(`${instancePath}/frames/:frame/thumbnail`, async (req, res) => {
    const frame = frameOf(req);
    await sendPng(req, res, await instance(req), frame, THUMBNAIL);
  });
  router.get('/studies/:study/series/:series/thumbnail', async (req, res) => {
    await sendPng(req, res, middle(await seriesFiles(files, uid(req, 'study', 'StudyInstanceUID'), uid(req, 'series', 'SeriesInstanceUID'))), 1, THUMBNAIL);
  });
  router.get('/studies/:study/thumbnail', async (req, res) => {
    await sendPng(req, res, middle(await studyFiles(files, uid(req, 'study', 'StudyInstanceUID'))), 1, THUMBNAIL);
  });
}
