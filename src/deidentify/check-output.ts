/**
 * `--check`: every identifying string of the sources (source-strings.ts) that is still in the output, and
 * where. Matching is by words, case-insensitive: a source string matches where its words (runs of letters and
 * digits) stand in a row in one output string value, so `555-889-9870` is found written `555 889 9870` too,
 * and `Mark` is not found inside `Marker`. Only string values are searched: JSON names (`"referral":`) and
 * numbers are structure, not text. Strings shorter than 4 characters and bare years are not looked for, as they
 * would match by chance (a year is all Safe Harbor leaves of a date anyway). An address's `state` is what Safe
 * Harbor keeps of it: a city found there (Berlin in Berlin, Chongqing in Chongqing Municipality) is no leak.
 */
import type { Resource } from 'fhir/r4.js';
import { collectSourceStrings, type SourceString } from './source-strings.js';

export interface Leak extends SourceString {
  file: string;
  /** The line of an NDJSON file; absent for a JSON document. */
  line?: number;
  /** Where in the output document, as a JSON path (`entry[3].resource.name[0].family`). */
  path: string;
  /** `Type/id` of the output resource it was found in. */
  resource?: string;
}

export interface LeakCheckOptions {
  /**
   * Whether full birth dates are looked for (default true). Off where the profile shifts dates: with many
   * patients, some shifted date lands on someone's true birthday by chance.
   */
  birthDates?: boolean;
  /** Leaks kept for the report (default 1000); all are counted. */
  limit?: number;
}

const MIN_LENGTH = 4;
const YEAR = /^\d{4}$/;
const WORD = /[\p{L}\p{N}]+/gu;

const wordsOf = (s: string): string[] => s.toLowerCase().match(WORD) ?? [];

type Json = Record<string, unknown>;

interface Sought extends SourceString {
  words: string[];
}

export class LeakCheck {
  /** Sought strings by their first word. */
  private readonly byFirst = new Map<string, Sought[]>();
  private readonly known = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly birthDates: boolean;
  private readonly limit: number;
  readonly leaks: Leak[] = [];
  count = 0;

  constructor(options: LeakCheckOptions = {}) {
    this.birthDates = options.birthDates ?? true;
    this.limit = options.limit ?? 1000;
  }

  /** Notes the identifying strings of a source resource (a Bundle's entries included). */
  addSource(resource: Resource | Json): void {
    collectSourceStrings(resource as Json, (s) => this.seek(s));
  }

  private seek(s: SourceString): void {
    const value = s.value.trim();
    if (value.length < MIN_LENGTH || YEAR.test(value) || (s.kind === 'birthDate' && !this.birthDates)) return;
    const words = wordsOf(value);
    const key = words.join(' ');
    if (words.length === 0 || this.known.has(key)) return;
    this.known.add(key);
    let list = this.byFirst.get(words[0]);
    if (!list) this.byFirst.set(words[0], (list = []));
    list.push({ ...s, value, words });
  }

  /** Searches one parsed output document (a resource, a Bundle) for sought strings. */
  scanDocument(file: string, document: unknown, line?: number): void {
    const path: (string | number)[] = [];
    const visit = (node: unknown, resource: string | undefined): void => {
      if (typeof node === 'string') {
        this.scanString(node, file, line, path, resource);
      } else if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          path.push(i);
          visit(node[i], resource);
          path.pop();
        }
      } else if (node !== null && typeof node === 'object') {
        const o = node as Json;
        const here = typeof o.resourceType === 'string' ? `${o.resourceType}/${String(o.id)}` : resource;
        for (const key in o) {
          path.push(key);
          visit(o[key], here);
          path.pop();
        }
      }
    };
    visit(document, undefined);
  }

  /** Searches an output file's text: one JSON document, or NDJSON (a line that is no JSON is searched as text). */
  scanText(file: string, text: string): void {
    try {
      this.scanDocument(file, JSON.parse(text));
      return;
    } catch {
      // Not one document: NDJSON, read line by line below.
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) this.scanLine(file, lines[i], i + 1);
  }

  /** Searches one NDJSON line. */
  scanLine(file: string, text: string, line: number): void {
    if (text.trim() === '') return;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      document = text;
    }
    this.scanDocument(file, document, line);
  }

  private scanString(value: string, file: string, line: number | undefined, path: (string | number)[], resource: string | undefined): void {
    if (value.length < MIN_LENGTH) return;
    const inState = path[path.length - 1] === 'state';
    const words = wordsOf(value);
    for (let i = 0; i < words.length; i++) {
      const candidates = this.byFirst.get(words[i]);
      if (candidates === undefined) continue;
      for (const sought of candidates) {
        if (!startsAt(words, i, sought.words) || (inState && sought.kind === 'address')) continue;
        const where = pathText(path);
        const key = `${sought.value}\u0000${file}\u0000${line}\u0000${where}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        this.count++;
        if (this.leaks.length < this.limit) {
          this.leaks.push({ value: sought.value, kind: sought.kind, source: sought.source, file, ...(line === undefined ? {} : { line }), path: where, ...(resource ? { resource } : {}) });
        }
      }
    }
  }
}

function startsAt(words: string[], at: number, sought: string[]): boolean {
  if (at + sought.length > words.length) return false;
  for (let j = 1; j < sought.length; j++) if (words[at + j] !== sought[j]) return false;
  return true;
}

function pathText(path: (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** The leaks of `sources`' identifying strings in output texts (each a JSON document or NDJSON). */
export function checkOutput(sources: (Resource | Json)[], outputs: { file: string; text: string }[], options?: LeakCheckOptions): { leaks: Leak[]; count: number } {
  const check = new LeakCheck(options);
  for (const source of sources) check.addSource(source);
  for (const output of outputs) check.scanText(output.file, output.text);
  return { leaks: check.leaks, count: check.count };
}
