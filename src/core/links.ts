import type { PaperLinks } from './model';

/** A field of `Paper.links`. */
export type LinkKind = keyof PaperLinks;

/** Everything Lit Notes says and does about one kind of link. */
export interface LinkKindInfo {
  /** The command that opens the link in the browser; its argument is a paper key. */
  readonly command: string;
  /** The link's name in the detail panel's list. */
  readonly label: string;
  /** What the link leads to, for sentences: "open the {what}", "has no {what}". */
  readonly what: string;
  /** The codicon shown with the link. */
  readonly icon: string;
  /** The flag of a tree row's contextValue that the menus in package.json test. */
  readonly contextFlag: string;
}

/**
 * The one table of link kinds, in the order the detail panel lists them: the link commands, the
 * panel's messages, buttons and list and the library's validation all derive from it. Typed as a
 * Record so that a new field of PaperLinks cannot be forgotten here.
 */
export const LINKS: Readonly<Record<LinkKind, LinkKindInfo>> = {
  arxiv: { command: 'litnotes.openArxiv', label: 'arXiv', what: 'arXiv page', icon: 'book', contextFlag: 'hasArxiv' },
  pdf: { command: 'litnotes.openPdf', label: 'PDF', what: 'PDF', icon: 'file-pdf', contextFlag: 'hasPdf' },
  huggingFace: { command: 'litnotes.openHuggingFace', label: 'Hugging Face', what: 'Hugging Face page', icon: 'link-external', contextFlag: 'hasHuggingFace' },
  code: { command: 'litnotes.openCodeRepository', label: 'Code repository', what: 'code repository', icon: 'github', contextFlag: 'hasCode' },
};

export const LINK_KINDS = Object.keys(LINKS) as readonly LinkKind[];

export function isLinkKind(value: unknown): value is LinkKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LINKS, value);
}
