/**
 * OpenReview's notes API (`/notes?id=<forum id>`, `{notes: [{id, content, cdate, pdate, …}]}`) → a
 * record. API 2 wraps each content field as `{value: …}`, API 1 gives it bare; both are read. The
 * note's own BibTeX (`_bibtex`) names the venue of an accepted paper ("booktitle"), which is read with
 * Lit Notes' BibTeX reader; a paper under review is a manuscript whose venue says where it was submitted.
 */
import { importBibtex } from '../sources/bibtexImport';
import { dateFromMillis, isObject, lineText, MalformedAnswer, nameFromText, plainText, type FetchedRecord, type RecordName } from './record';

export function openReviewForumUrl(id: string): string {
  return `https://openreview.net/forum?id=${encodeURIComponent(id)}`;
}

/** The record of the note with this id; undefined when the answer holds no such note. */
export function recordFromOpenReview(json: unknown, id: string): FetchedRecord | undefined {
  if (!isObject(json) || !Array.isArray(json.notes)) throw new MalformedAnswer('the answer is not a list of OpenReview notes');
  const note: unknown = json.notes.find((candidate: unknown) => isObject(candidate) && (candidate.id === id || candidate.forum === id));
  if (!isObject(note)) return undefined;
  const content = isObject(note.content) ? note.content : {};
  const field = (name: string): unknown => {
    const raw = content[name];
    return isObject(raw) && 'value' in raw ? raw.value : raw;
  };
  const string = (name: string): string | undefined => {
    const value = field(name);
    return typeof value === 'string' && value.trim() ? value : undefined;
  };
  const title = string('title');
  if (!title) throw new MalformedAnswer('the OpenReview note has no title');
  const authors = field('authors');
  const bibtex = string('_bibtex');
  const published = bibtex ? importBibtex(bibtex).papers[0]?.paper : undefined;
  const venue = string('venue');
  const accepted = published?.venue !== undefined && !/^\s*(?:submitted to|under review)\b/i.test(venue ?? '');
  const record: FetchedRecord = {
    type: accepted ? 'paper-conference' : 'manuscript',
    title: lineText(title),
    author: (Array.isArray(authors) ? authors : []).flatMap((name) => (typeof name === 'string' ? (nameFromText(lineText(name)) ?? []) : [])) as RecordName[],
  };
  const issued = dateFromMillis(note.pdate) ?? dateFromMillis(note.odate) ?? dateFromMillis(note.cdate) ?? dateFromMillis(note.tcdate);
  if (published?.year !== undefined && (!issued || issued['date-parts'][0][0] !== published.year)) record.issued = { 'date-parts': [[published.year]] };
  else if (issued) record.issued = issued;
  const abstract = string('abstract');
  if (abstract) record.abstract = plainText(abstract);
  if (accepted && published?.venue) record['container-title'] = published.venue;
  else if (venue) record.genre = lineText(venue);
  record.publisher = 'OpenReview';
  record.URL = openReviewForumUrl(typeof note.forum === 'string' ? note.forum : id);
  const keywords = field('keywords');
  if (Array.isArray(keywords)) {
    const words = keywords.filter((word): word is string => typeof word === 'string' && word.trim() !== '').map(lineText);
    if (words.length > 0) record.keyword = words.join(', ');
  }
  return record;
}
