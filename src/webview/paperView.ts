import type { Paper, Topic } from '../core/model';
import { authorName, venueLabel } from '../core/library';
import { safeExternalUrl } from '../core/urls';
import type { LinkKind, LinkView, PaperView } from './protocol';

const LINK_LABELS: Readonly<Record<LinkKind, string>> = {
  arxiv: 'arXiv',
  pdf: 'PDF',
  huggingFace: 'Hugging Face',
  code: 'Code repository',
};

const LINK_ORDER: readonly LinkKind[] = ['arxiv', 'pdf', 'huggingFace', 'code'];

const SHORT_TITLE_MAX = 40;

/** The serialisable view of a paper; topics the library does not know are left out. */
export function toPaperView(paper: Paper, getTopic: (id: string) => Topic | undefined): PaperView {
  const links: LinkView[] = [];
  for (const kind of LINK_ORDER) {
    const url = safeExternalUrl(paper.links[kind]);
    if (url) links.push({ kind, label: LINK_LABELS[kind], url });
  }
  return {
    key: paper.key,
    title: paper.title,
    authors: paper.authors.map(authorName),
    moreAuthors: Math.max(0, paper.authorCount - paper.authors.length),
    venue: venueLabel(paper) || undefined,
    organization: paper.organization,
    upvotes: paper.upvotes,
    topics: paper.topics.flatMap((id) => {
      const topic = getTopic(id);
      return topic ? [{ id: topic.id, label: topic.label, description: topic.description }] : [];
    }),
    abstract: paper.abstract,
    links,
  };
}

/** A tab-sized title: the name before the colon that most papers lead with, else the title cut at a word. */
export function shortTitle(title: string): string {
  const text = title.replace(/\s+/g, ' ').trim();
  const colon = text.indexOf(':');
  if (colon > 0 && colon <= SHORT_TITLE_MAX) return text.slice(0, colon).trim();
  if (text.length <= SHORT_TITLE_MAX) return text;
  // One character more so a word ending exactly at the limit is kept whole.
  const space = text.slice(0, SHORT_TITLE_MAX + 1).lastIndexOf(' ');
  return `${text.slice(0, space > 0 ? space : SHORT_TITLE_MAX)}…`;
}
