/**
 * The facts of Zotero's schema (zotero-schema's `schema.json`, its `itemTypes` and `csl` sections)
 * that turning an item into CSL-JSON needs, as Zotero itself does it: which CSL type an item type
 * is, which fields feed which CSL variable (named by their base field, so `bookTitle` and
 * `proceedingsTitle` are `publicationTitle`), which creator types are which CSL name roles.
 */

/** Item type → CSL type. */
export const CSL_TYPES: Readonly<Record<string, string>> = {
  preprint: 'article',
  journalArticle: 'article-journal',
  magazineArticle: 'article-magazine',
  newspaperArticle: 'article-newspaper',
  bill: 'bill',
  book: 'book',
  podcast: 'broadcast',
  tvBroadcast: 'broadcast',
  radioBroadcast: 'broadcast',
  bookSection: 'chapter',
  dataset: 'dataset',
  document: 'document',
  attachment: 'document',
  note: 'document',
  dictionaryEntry: 'entry-dictionary',
  encyclopediaArticle: 'entry-encyclopedia',
  artwork: 'graphic',
  hearing: 'hearing',
  interview: 'interview',
  case: 'legal_case',
  statute: 'legislation',
  manuscript: 'manuscript',
  map: 'map',
  film: 'motion_picture',
  videoRecording: 'motion_picture',
  conferencePaper: 'paper-conference',
  patent: 'patent',
  letter: 'personal_communication',
  email: 'personal_communication',
  instantMessage: 'personal_communication',
  forumPost: 'post',
  blogPost: 'post-weblog',
  report: 'report',
  computerProgram: 'software',
  audioRecording: 'song',
  presentation: 'speech',
  standard: 'standard',
  thesis: 'thesis',
  webpage: 'webpage',
};

/** CSL text variable → the base fields that feed it, first non-empty wins (the schema's order). */
export const CSL_TEXT_FIELDS: readonly (readonly [variable: string, fields: readonly string[]])[] = [
  ['abstract', ['abstractNote']],
  ['archive', ['archive']],
  ['archive_location', ['archiveLocation']],
  ['authority', ['authority']],
  ['call-number', ['callNumber', 'applicationNumber']],
  ['chapter-number', ['session']],
  ['citation-key', ['citationKey']],
  ['collection-number', ['seriesNumber']],
  ['collection-title', ['seriesTitle', 'series']],
  ['container-title', ['publicationTitle', 'reporter', 'code']],
  ['dimensions', ['artworkSize', 'runningTime']],
  ['DOI', ['DOI']],
  ['edition', ['edition']],
  ['event-place', ['eventPlace']],
  ['event-title', ['meetingName', 'conferenceName']],
  ['genre', ['type', 'programmingLanguage']],
  ['ISBN', ['ISBN']],
  ['ISSN', ['ISSN']],
  ['issue', ['issue', 'priorityNumbers']],
  ['journalAbbreviation', ['journalAbbreviation']],
  ['language', ['language']],
  ['license', ['rights']],
  ['medium', ['medium', 'system']],
  ['note', ['extra']],
  ['number', ['number']],
  ['number-of-pages', ['numPages']],
  ['number-of-volumes', ['numberOfVolumes']],
  ['original-publisher', ['originalPublisher']],
  ['original-publisher-place', ['originalPlace']],
  ['part-number', ['partNumber']],
  ['part-title', ['partTitle']],
  ['page', ['pages']],
  ['PMID', ['PMID']],
  ['PMCID', ['PMCID']],
  ['publisher', ['publisher']],
  ['publisher-place', ['place']],
  ['references', ['history', 'references']],
  ['scale', ['scale']],
  ['section', ['section', 'committee']],
  ['source', ['libraryCatalog']],
  ['status', ['status']],
  ['title', ['title']],
  ['title-short', ['shortTitle']],
  ['URL', ['url']],
  ['version', ['versionNumber']],
  ['volume', ['volume', 'codeNumber']],
];

/** CSL date variable → base field. */
export const CSL_DATE_FIELDS: readonly (readonly [variable: string, field: string])[] = [
  ['accessed', 'accessDate'],
  ['issued', 'date'],
  ['submitted', 'filingDate'],
  ['original-date', 'originalDate'],
];

/** Per item type, base field → the type's own field ("publicationTitle" is "bookTitle" in a book section). */
export const TYPE_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  artwork: { medium: 'artworkMedium' },
  audioRecording: { medium: 'audioRecordingFormat', publisher: 'label' },
  bill: { number: 'billNumber', volume: 'codeVolume', pages: 'codePages', authority: 'legislativeBody' },
  blogPost: { publicationTitle: 'blogTitle', type: 'websiteType' },
  book: { medium: 'format' },
  bookSection: { publicationTitle: 'bookTitle', medium: 'format' },
  case: { title: 'caseName', authority: 'court', date: 'dateDecided', number: 'docketNumber', volume: 'reporterVolume', pages: 'firstPage' },
  computerProgram: { publisher: 'company' },
  conferencePaper: { publicationTitle: 'proceedingsTitle' },
  dataset: { number: 'identifier', publisher: 'repository', place: 'repositoryLocation', medium: 'format' },
  dictionaryEntry: { publicationTitle: 'dictionaryTitle' },
  email: { title: 'subject' },
  encyclopediaArticle: { publicationTitle: 'encyclopediaTitle' },
  film: { publisher: 'distributor', type: 'genre', medium: 'videoRecordingFormat' },
  forumPost: { publicationTitle: 'forumTitle', type: 'postType' },
  hearing: { number: 'documentNumber', authority: 'legislativeBody' },
  interview: { medium: 'interviewMedium' },
  letter: { type: 'letterType' },
  manuscript: { type: 'manuscriptType', publisher: 'institution' },
  map: { type: 'mapType' },
  patent: { authority: 'issuingAuthority', number: 'patentNumber', date: 'issueDate', originalDate: 'priorityDate', status: 'legalStatus' },
  podcast: { number: 'episodeNumber', medium: 'audioFileType' },
  preprint: { type: 'genre', publisher: 'repository', number: 'archiveID' },
  presentation: { type: 'presentationType', publicationTitle: 'sessionTitle' },
  radioBroadcast: { publicationTitle: 'programTitle', number: 'episodeNumber', medium: 'audioRecordingFormat', publisher: 'network' },
  report: { number: 'reportNumber', type: 'reportType', publisher: 'institution' },
  standard: { authority: 'organization' },
  statute: { title: 'nameOfAct', number: 'publicLawNumber', date: 'dateEnacted' },
  thesis: { type: 'thesisType', publisher: 'university' },
  tvBroadcast: { publicationTitle: 'programTitle', number: 'episodeNumber', medium: 'videoRecordingFormat', publisher: 'network' },
  videoRecording: { medium: 'videoRecordingFormat', publisher: 'studio' },
  webpage: { publicationTitle: 'websiteTitle', type: 'websiteType' },
};

/** Creator type → CSL name variable. */
export const CSL_NAMES: Readonly<Record<string, string>> = {
  author: 'author',
  bookAuthor: 'container-author',
  chair: 'chair',
  castMember: 'performer',
  composer: 'composer',
  contributor: 'contributor',
  creator: 'author',
  director: 'director',
  editor: 'editor',
  executiveProducer: 'executive-producer',
  guest: 'guest',
  host: 'host',
  interviewer: 'interviewer',
  narrator: 'narrator',
  originalCreator: 'original-author',
  organizer: 'organizer',
  podcaster: 'host',
  producer: 'producer',
  recipient: 'recipient',
  reviewedAuthor: 'reviewed-author',
  seriesCreator: 'series-creator',
  seriesEditor: 'collection-editor',
  scriptwriter: 'script-writer',
  translator: 'translator',
};

/** Each item type's primary creator type where it is not "author": an unmapped primary creator is the CSL author. */
export const PRIMARY_CREATORS: Readonly<Record<string, string>> = {
  artwork: 'artist',
  audioRecording: 'performer',
  bill: 'sponsor',
  computerProgram: 'programmer',
  film: 'director',
  hearing: 'contributor',
  interview: 'interviewee',
  map: 'cartographer',
  patent: 'inventor',
  podcast: 'podcaster',
  presentation: 'presenter',
  radioBroadcast: 'creator',
  tvBroadcast: 'director',
  videoRecording: 'creator',
};

/** Item types whose `place` is where the event was, not where the publisher is. */
export const EVENT_PLACE_TYPES: ReadonlySet<string> = new Set(['audioRecording', 'presentation', 'videoRecording']);

/** CSL date variables that a line of Extra may set, overriding the item's own ("issued: 2020-05"). */
export const EXTRA_DATE_VARIABLES: ReadonlySet<string> = new Set(['issued', 'event-date', 'original-date', 'publication-date', 'available-date', 'submitted']);

/**
 * Variables Extra may name in CSL's spelling ("original-title: …", "Original Title: …"), which CSL
 * processors read from the note: their lines are written in CSL's spelling.
 */
export const EXTRA_CSL_VARIABLES: ReadonlySet<string> = new Set([
  'abstract', 'accessed', 'annote', 'archive', 'archive-place', 'author', 'authority', 'call-number', 'chapter-number',
  'citation-label', 'citation-number', 'collection-editor', 'collection-number', 'collection-title', 'composer', 'container',
  'container-author', 'container-title', 'container-title-short', 'dimensions', 'director', 'edition', 'editor',
  'editorial-director', 'event', 'event-date', 'event-place', 'first-reference-note-number', 'genre', 'illustrator',
  'interviewer', 'issue', 'issued', 'jurisdiction', 'keyword', 'language', 'locator', 'medium', 'note', 'number',
  'number-of-pages', 'number-of-volumes', 'original-author', 'original-date', 'original-publisher',
  'original-publisher-place', 'original-title', 'page', 'page-first', 'publisher', 'publisher-place', 'recipient',
  'references', 'reviewed-author', 'reviewed-title', 'scale', 'section', 'source', 'status', 'submitted', 'title',
  'title-short', 'translator', 'type', 'version', 'volume', 'year-suffix',
]);

/** Extra's spellings of variables CSL writes in capitals or with an underscore. */
export const EXTRA_RENAMED: Readonly<Record<string, string>> = {
  doi: 'DOI',
  isbn: 'ISBN',
  issn: 'ISSN',
  pmcid: 'PMCID',
  pmid: 'PMID',
  url: 'URL',
  'archive-location': 'archive_location',
};
