/**
 * Messages between the paper detail panel (host, extension side) and its webview script.
 * Imported by both sides, so it must not depend on vscode or on Node.
 */

import { isLinkKind, type LinkKind } from '../core/links';
import { READING_STATUSES, type ReadingStatus, type ReadingStatusChoice } from '../core/readingState';

export const PAPER_DETAIL_VIEW_TYPE = 'litnotes.paperDetail';

export interface TopicView {
  id: string;
  label: string;
  description: string;
}

/** The label and icon come from the table of link kinds (src/core/links.ts). */
export interface LinkView {
  kind: LinkKind;
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
  /** The paper is an item of a Zotero library: its annotations can be imported. */
  zotero: boolean;
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

/** The panel's buttons that are not links (links are `openLink` messages). */
export type PaperCommand = 'insertCitation' | 'copyBibtex' | 'openNote' | 'editTags' | 'importAnnotations';

/** The extension command each button runs, always with the panel's paper key, and what it does (for error messages). */
export const PAPER_COMMANDS: Readonly<Record<PaperCommand, { id: string; description: string }>> = {
  insertCitation: { id: 'litnotes.insertCitation', description: 'insert the citation' },
  copyBibtex: { id: 'litnotes.copyBibtex', description: 'copy the BibTeX entry' },
  openNote: { id: 'litnotes.openNote', description: 'open the literature note' },
  editTags: { id: 'litnotes.editTags', description: 'edit the tags' },
  importAnnotations: { id: 'litnotes.importAnnotations', description: 'import the annotations from Zotero' },
};

/** The paper key travels only host → webview: the host runs commands for its own key, never one the webview names. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'command'; command: PaperCommand }
  /** Every link of the page, by mouse or keyboard, comes here: the host opens the paper's own address of that kind. */
  | { type: 'openLink'; kind: LinkKind }
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
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PAPER_COMMANDS, value);
}

/** Returns the message when it is well-formed, else undefined: webview content is never trusted. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case 'ready':
      return { type: 'ready' };
    case 'command':
      return isPaperCommand(data.command) ? { type: 'command', command: data.command } : undefined;
    case 'openLink':
      return isLinkKind(data.kind) ? { type: 'openLink', kind: data.kind } : undefined;
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
