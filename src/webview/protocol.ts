/**
 * Messages between the paper detail panel (host, extension side) and its webview script.
 * Imported by both sides, so it must not depend on vscode or on Node.
 */

import { READING_STATUSES, type ReadingStatus, type ReadingStatusChoice } from '../core/readingState';

export const PAPER_DETAIL_VIEW_TYPE = 'litnotes.paperDetail';

export type LinkKind = 'arxiv' | 'pdf' | 'huggingFace' | 'code';

export interface TopicView {
  id: string;
  label: string;
  description: string;
}

export interface LinkView {
  kind: LinkKind;
  label: string;
  url: string;
}

/** What the webview shows of a paper: plain text only, the webview renders it with textContent. */
export interface PaperView {
  key: string;
  title: string;
  /** Formatted names, in order. */
  authors: string[];
  /** Authors the source counts but does not name. */
  moreAuthors: number;
  /** Venue and year as one label ("ICML 2024", "arXiv, 2024"). */
  venue?: string;
  organization?: string;
  upvotes?: number;
  topics: TopicView[];
  abstract: string;
  /** Only the links whose address is a safe http(s) URL. */
  links: LinkView[];
}

/** A place in the workspace's Markdown that cites the paper. */
export interface CitationSiteView {
  uri: string;
  /** Path relative to the workspace, for display. */
  file: string;
  /** 0-based. */
  line: number;
  preview: string;
}

/** What the reader added to the paper: reading status, tags, and where the notes cite it. */
export interface NotesView {
  status?: ReadingStatus;
  tags: string[];
  citedIn: CitationSiteView[];
}

export type HostMessage =
  | { type: 'paper'; paper: PaperView; notes: NotesView }
  | { type: 'missing'; key: string };

export type PaperCommand = 'insertCitation' | 'copyBibtex' | 'openArxiv' | 'openPdf' | 'openHuggingFace' | 'openCode' | 'openNote' | 'editTags';

/** The extension command each webview action runs, always with the panel's paper key as argument. */
export const PAPER_COMMAND_IDS: Readonly<Record<PaperCommand, string>> = {
  insertCitation: 'litnotes.insertCitation',
  copyBibtex: 'litnotes.copyBibtex',
  openArxiv: 'litnotes.openArxiv',
  openPdf: 'litnotes.openPdf',
  openHuggingFace: 'litnotes.openHuggingFace',
  openCode: 'litnotes.openCodeRepository',
  openNote: 'litnotes.openNote',
  editTags: 'litnotes.editTags',
};

export const LINK_COMMANDS: Readonly<Record<LinkKind, PaperCommand>> = {
  arxiv: 'openArxiv',
  pdf: 'openPdf',
  huggingFace: 'openHuggingFace',
  code: 'openCode',
};

/** The paper key travels only host → webview: the host runs commands for its own key, never one the webview names. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'command'; command: PaperCommand }
  | { type: 'revealTopic'; topicId: string }
  | { type: 'setStatus'; status: ReadingStatusChoice }
  /** Opens a citing place; the host acts only on a place it listed itself. */
  | { type: 'openCitation'; uri: string; line: number };

/** What the webview persists with vscode.setState so the panel can be restored after a reload. */
export interface WebviewState {
  key: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPaperCommand(value: unknown): value is PaperCommand {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PAPER_COMMAND_IDS, value);
}

/** Returns the message when it is well-formed, else undefined: webview content is never trusted. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case 'ready':
      return { type: 'ready' };
    case 'command':
      return isPaperCommand(data.command) ? { type: 'command', command: data.command } : undefined;
    case 'revealTopic':
      return typeof data.topicId === 'string' && data.topicId !== ''
        ? { type: 'revealTopic', topicId: data.topicId }
        : undefined;
    case 'setStatus':
      return data.status === 'none' || READING_STATUSES.includes(data.status as ReadingStatus)
        ? { type: 'setStatus', status: data.status as ReadingStatusChoice }
        : undefined;
    case 'openCitation':
      return typeof data.uri === 'string' && Number.isInteger(data.line) && (data.line as number) >= 0
        ? { type: 'openCitation', uri: data.uri, line: data.line as number }
        : undefined;
    default:
      return undefined;
  }
}

export function parseWebviewState(state: unknown): WebviewState | undefined {
  return isRecord(state) && typeof state.key === 'string' && state.key !== '' ? { key: state.key } : undefined;
}
