/**
 * The paper detail panel's script. Paper text reaches the page only through textContent and
 * attributes set with DOM APIs, never as markup.
 */
import { authorLine } from '../../core/library';
import { READING_STATUS_LABELS, READING_STATUSES, type ReadingStatusChoice } from '../../core/readingState';
import {
  LINK_COMMANDS,
  type CitationSiteView,
  type HostMessage,
  type LinkKind,
  type NotesView,
  type PaperCommand,
  type PaperView,
  type WebviewMessage,
  type WebviewState,
} from '../protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

const LINK_ICONS: Readonly<Record<LinkKind, string>> = {
  arxiv: 'book',
  pdf: 'file-pdf',
  huggingFace: 'link-external',
  code: 'github',
};

type Child = Node | string;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; id?: string; title?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.id) element.id = props.id;
  if (props.title) element.title = props.title;
  element.append(...children);
  return element;
}

function icon(name: string): HTMLElement {
  const element = el('i', { className: `codicon codicon-${name}` });
  element.setAttribute('aria-hidden', 'true');
  return element;
}

/** Stable ids let focus survive a re-render when the library changes. */
function focusable<T extends HTMLElement>(element: T, focusId: string): T {
  element.dataset.focusId = focusId;
  return element;
}

function commandButton(command: PaperCommand, label: string, iconName: string, primary: boolean): HTMLButtonElement {
  const button = focusable(el('button', { className: primary ? 'button' : 'button secondary' }, icon(iconName), label), command);
  button.type = 'button';
  button.addEventListener('click', () => vscode.postMessage({ type: 'command', command }));
  return button;
}

function section(id: string, heading: string, ...content: Node[]): HTMLElement {
  const element = el('section', {}, el('h2', { id }, heading), ...content);
  element.setAttribute('aria-labelledby', id);
  return element;
}

function metaItems(paper: PaperView): HTMLElement[] {
  const items: HTMLElement[] = [];
  if (paper.venue) items.push(el('li', { title: 'Venue and year' }, icon('mortar-board'), paper.venue));
  if (paper.organization) items.push(el('li', { title: 'Organisation' }, icon('organization'), paper.organization));
  if (paper.upvotes !== undefined) {
    items.push(el('li', { title: 'Upvotes' }, icon('arrow-up'), `${paper.upvotes} ${paper.upvotes === 1 ? 'upvote' : 'upvotes'}`));
  }
  return items;
}

function statusControl(notes: NotesView): HTMLElement {
  const select = focusable(el('select', { id: 'reading-status' }), 'status');
  const choices: ReadingStatusChoice[] = [...READING_STATUSES, 'none'];
  for (const choice of choices) {
    const option = el('option', {}, choice === 'none' ? 'No status' : READING_STATUS_LABELS[choice]);
    option.value = choice;
    option.selected = (notes.status ?? 'none') === choice;
    select.append(option);
  }
  select.addEventListener('change', () => vscode.postMessage({ type: 'setStatus', status: select.value as ReadingStatusChoice }));
  const label = el('label', {}, 'Status');
  label.htmlFor = 'reading-status';
  return el('div', { className: 'field' }, label, select);
}

function tagsControl(notes: NotesView): HTMLElement {
  const tags = notes.tags.length
    ? el('ul', { className: 'chips tags' }, ...notes.tags.map((tag) => el('li', { className: 'chip' }, icon('bookmark'), tag)))
    : el('span', { className: 'status' }, 'No tags');
  const edit = commandButton('editTags', 'Edit Tags…', 'edit', false);
  return el('div', { className: 'field' }, el('span', { className: 'field-label' }, 'Tags'), tags, edit);
}

/** Citing places grouped by file; each opens the note at its line. */
function citedIn(sites: readonly CitationSiteView[]): HTMLElement {
  if (sites.length === 0) return el('p', { className: 'status' }, 'No Markdown file of the workspace cites this paper yet.');
  const byFile = new Map<string, CitationSiteView[]>();
  for (const site of sites) byFile.set(site.uri, [...(byFile.get(site.uri) ?? []), site]);
  const files = [...byFile.values()].map((fileSites) => {
    const places = fileSites.map((site) => {
      const anchor = focusable(el('a', { className: 'cite-line' }, el('span', { className: 'line-number' }, `line ${site.line + 1}`), el('span', { className: 'preview' }, site.preview)), `cite:${site.uri}#${site.line}`);
      anchor.href = '#';
      anchor.setAttribute('aria-label', `${fileSites[0].file}, line ${site.line + 1}: ${site.preview}`);
      anchor.addEventListener('click', () => vscode.postMessage({ type: 'openCitation', uri: site.uri, line: site.line }));
      return el('li', {}, anchor);
    });
    return el('li', {}, el('span', { className: 'file' }, icon('markdown'), fileSites[0].file), el('ul', {}, ...places));
  });
  return el('ul', { className: 'cited-in' }, ...files);
}

function renderPaper(paper: PaperView, notes: NotesView): Node[] {
  const hasCode = paper.links.some((link) => link.kind === 'code');
  const actions = el(
    'div',
    { className: 'actions' },
    commandButton('insertCitation', 'Insert Citation', 'quote', true),
    commandButton('openNote', 'Open Literature Note', 'note', false),
    commandButton('copyBibtex', 'Copy BibTeX', 'copy', false),
    ...(hasCode ? [commandButton('openCode', 'Open Code Repository', 'github', false)] : []),
  );
  const meta = metaItems(paper);
  const header = el(
    'header',
    {},
    el('h1', {}, paper.title),
    el('p', { className: 'authors' }, authorLine(paper.authors, paper.moreAuthors) || 'Unknown authors'),
    ...(meta.length ? [el('ul', { className: 'meta' }, ...meta)] : []),
    actions,
  );

  const sections: Node[] = [header, section('reading-heading', 'Reading', el('div', { className: 'fields' }, statusControl(notes), tagsControl(notes)))];
  if (paper.topics.length) {
    const chips = paper.topics.map((topic) => {
      const button = focusable(el('button', { className: 'chip', title: topic.description }, icon('tag'), topic.label), `topic:${topic.id}`);
      button.type = 'button';
      button.setAttribute('aria-label', `${topic.label}: show topic in the library`);
      button.addEventListener('click', () => vscode.postMessage({ type: 'revealTopic', topicId: topic.id }));
      return el('li', {}, button);
    });
    sections.push(section('topics-heading', 'Topics', el('ul', { className: 'chips' }, ...chips)));
  }
  sections.push(
    section('abstract-heading', 'Abstract', el('p', { className: 'abstract' }, paper.abstract || 'No abstract available.')),
  );
  if (paper.links.length) {
    const links = paper.links.map((link) => {
      const anchor = focusable(el('a', {}, icon(LINK_ICONS[link.kind]), el('span', { className: 'link-label' }, link.label)), `link:${link.kind}`);
      // The href gives link semantics only; interceptLinks stops the navigation.
      anchor.href = link.url;
      anchor.addEventListener('click', () => vscode.postMessage({ type: 'command', command: LINK_COMMANDS[link.kind] }));
      return el('li', {}, anchor, el('span', { className: 'url' }, link.url));
    });
    sections.push(section('links-heading', 'Links', el('ul', { className: 'links' }, ...links)));
  }
  const count = notes.citedIn.length;
  sections.push(section('cited-heading', count ? `Cited in (${count})` : 'Cited in', citedIn(notes.citedIn)));
  return [el('article', {}, ...sections)];
}

function renderMissing(key: string): Node[] {
  const status = el(
    'div',
    { className: 'missing' },
    el('h1', {}, icon('warning'), 'Paper not in the library'),
    el('p', {}, 'The paper ', el('code', {}, key), ' is no longer in the library. It returns here if it is added back.'),
  );
  status.setAttribute('role', 'status');
  return [status];
}

function show(nodes: Node[]): void {
  const focusId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusId : undefined;
  root.replaceChildren(...nodes);
  if (focusId) root.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(focusId)}"]`)?.focus();
}

// The webview never navigates: every link activation, by mouse or keyboard, is cancelled here
// before the link's own listener turns it into a message to the host.
function interceptLinks(event: MouseEvent): void {
  if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
}
document.addEventListener('click', interceptLinks, true);
document.addEventListener('auxclick', interceptLinks, true);

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'paper':
      vscode.setState({ key: message.paper.key });
      document.title = message.paper.title;
      show(renderPaper(message.paper, message.notes));
      break;
    case 'missing':
      vscode.setState({ key: message.key });
      show(renderMissing(message.key));
      break;
  }
});

vscode.postMessage({ type: 'ready' });
