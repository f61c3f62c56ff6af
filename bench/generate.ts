/**
 * Deterministic synthetic libraries for the benchmark, made from the bundled papers' real text: the
 * 65 real papers themselves, spread evenly through the library, and papers recombined from them
 * (titles from thirds of three titles, often behind a name spliced from two paper names; abstracts
 * from whole sentences; authors from the real given and family names). Same size and seed, same
 * library, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { disambiguateKey, makeCitationKey } from '../src/core/citekey';
import type { Author, Paper, Topic } from '../src/core/model';

export interface SourceLibrary {
  papers: Paper[];
  topics: Topic[];
}

/** The checkout's root, found upwards from here: this file also runs bundled from another folder. */
export const REPO_ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'data', 'papers.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no data/papers.json above ${__dirname}`);
  }
})();
const DATA_DIR = path.join(REPO_ROOT, 'data');

export function readBundledLibrary(): SourceLibrary {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as Record<string, unknown>;
  return { papers: read('papers.json').papers as Paper[], topics: read('topics.json').topics as Topic[] };
}

/** mulberry32: small, fast and good enough to pick words; the same seed gives the same stream everywhere. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A paper name before the title's colon ("ArCHer: …"), when it is one word. */
const NAME_HEAD = /^([^\s:]{3,16}):\s+(.*)$/;
/** Sentence ends followed by a capital: abstracts are prose with few abbreviations. */
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z])/;
const FIRST_YEAR = 2015;
const LAST_YEAR = 2025;
/** Submissions grow about 30% a year, so recent years dominate as in a real library. */
const YEAR_GROWTH = 1.3;

interface Pieces {
  names: string[];
  /** Title words without the name, per paper. */
  descriptions: string[][];
  sentences: string[];
  abstractLengths: number[];
  givens: string[];
  families: string[];
  venues: (string | undefined)[];
  organizations: (string | undefined)[];
}

function piecesOf(source: SourceLibrary): Pieces {
  const names: string[] = [];
  const descriptions: string[][] = [];
  for (const paper of source.papers) {
    const match = NAME_HEAD.exec(paper.title);
    if (match) names.push(match[1]);
    descriptions.push((match ? match[2] : paper.title).split(/\s+/));
  }
  const authors = source.papers.flatMap((paper) => paper.authors).filter((author) => author.given);
  return {
    names,
    descriptions,
    sentences: source.papers.flatMap((paper) => paper.abstract.split(SENTENCE_END)),
    abstractLengths: source.papers.map((paper) => paper.abstract.length),
    givens: [...new Set(authors.map((author) => author.given))],
    families: [...new Set(authors.map((author) => author.family))],
    venues: source.papers.map((paper) => paper.venue),
    organizations: source.papers.map((paper) => paper.organization),
  };
}

/**
 * `size` papers: the bundled ones at evenly spaced places (neither first nor last, so ties in ranking
 * neither favour nor hurt them) and synthetic ones around them, with unique keys and arXiv ids.
 */
export function generateLibrary(size: number, seed = 1, source: SourceLibrary = readBundledLibrary()): SourceLibrary {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pieces = piecesOf(source);
  const originals = source.papers.slice(0, size);
  const originalAt = new Map(originals.map((paper, index) => [Math.floor(((index + 0.5) * size) / originals.length), paper]));
  const keys = new Set(source.papers.map((paper) => paper.key));
  const ids = new Set(source.papers.map((paper) => paper.arxivId));
  const yearWeights = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, index) => YEAR_GROWTH ** index);
  const yearTotal = yearWeights.reduce((sum, weight) => sum + weight, 0);

  const year = () => {
    let left = random() * yearTotal;
    for (const [index, weight] of yearWeights.entries()) if ((left -= weight) < 0) return FIRST_YEAR + index;
    return LAST_YEAR;
  };
  const realNames = new Set(pieces.names.map((name) => name.toLowerCase()));
  const splicedName = (): string => {
    const a = pick(pieces.names);
    const b = pick(pieces.names);
    const name = a.slice(0, Math.ceil(a.length / 2)) + b.slice(Math.ceil(b.length / 2));
    // A new method gets a new name, not one of the real papers'.
    if (realNames.has(name.toLowerCase())) return splicedName();
    return random() < 0.2 ? `${name}-${between(2, 4)}` : name;
  };
  const title = () => {
    const third = (words: string[], part: number) =>
      words.slice(Math.floor((part * words.length) / 3), Math.floor(((part + 1) * words.length) / 3));
    const words = [0, 1, 2].flatMap((part) => third(pick(pieces.descriptions), part));
    const description = words.join(' ');
    return random() < 0.6 ? `${splicedName()}: ${description}` : description;
  };
  const abstract = () => {
    const target = pick(pieces.abstractLengths);
    let text = pick(pieces.sentences);
    while (text.length < target) text += ` ${pick(pieces.sentences)}`;
    return text;
  };
  const authors = (): Author[] =>
    Array.from({ length: between(3, 8) }, () => ({ given: pick(pieces.givens), family: pick(pieces.families) }));
  const arxivId = (paperYear: number) => {
    for (;;) {
      const month = between(1, 12);
      const id = `${String(paperYear % 100).padStart(2, '0')}${String(month).padStart(2, '0')}.${String(between(1, 29999)).padStart(5, '0')}`;
      if (!ids.has(id)) {
        ids.add(id);
        return { id, month };
      }
    }
  };
  const topics = () => {
    const chosen = new Set<string>();
    for (let count = between(1, 3); chosen.size < count; ) chosen.add(pick(source.topics).id);
    return [...chosen];
  };

  const papers: Paper[] = [];
  for (let index = 0; index < size; index++) {
    const original = originalAt.get(index);
    if (original) {
      papers.push(original);
      continue;
    }
    const paperYear = year();
    const paperTitle = title();
    const paperAuthors = authors();
    const { id, month } = arxivId(paperYear);
    const key = disambiguateKey(makeCitationKey({ authors: paperAuthors, year: paperYear, title: paperTitle }), keys);
    keys.add(key);
    const venue = pick(pieces.venues);
    const organization = pick(pieces.organizations);
    const code = random() < 0.4 ? `https://github.com/${paperAuthors[0].family.toLowerCase().replace(/\W/g, '')}/${key}` : undefined;
    papers.push({
      key,
      title: paperTitle,
      abstract: abstract(),
      authors: paperAuthors,
      authorCount: paperAuthors.length,
      year: paperYear,
      listingDate: { year: paperYear, month, day: between(1, 28) },
      ...(venue ? { venue } : {}),
      ...(organization ? { organization } : {}),
      arxivId: id,
      links: {
        arxiv: `https://arxiv.org/abs/${id}`,
        pdf: `https://arxiv.org/pdf/${id}`,
        huggingFace: `https://huggingface.co/papers/${id}`,
        ...(code ? { code } : {}),
      },
      topics: topics(),
    });
  }
  return { papers, topics: source.topics };
}

/** The library as the two files the extension reads (`papers.json`, `topics.json`). */
export function libraryFiles(library: SourceLibrary): { papers: string; topics: string } {
  return { papers: JSON.stringify({ papers: library.papers }), topics: JSON.stringify({ topics: library.topics }) };
}
