/**
 * DICOM DA/TM values from a FHIR dateTime. The study's instant is used as written in UTC, and the files say
 * so with Timezone Offset From UTC, so StudyDate/StudyTime equal the ImagingStudy's `started` everywhere.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part05/sect_6.2.html (DA, TM)
 */

export interface DicomDateTime {
  date: string;
  time: string;
}

/** DA and TM of an instant (epoch milliseconds), in UTC. */
export function dicomDateTime(ms: number): DicomDateTime {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

export const TIMEZONE_OFFSET = '+0000';
