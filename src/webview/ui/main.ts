/**
 * The paper detail panel's script. Paper text reaches the page only through textContent and
 * attributes set with DOM APIs, never as markup.
 */
import { authorLine } from '../../core/library';
import { LINKS } from '../../core/links';
import { READING_STATUS_LABELS, READING_STATUSES, type ReadingStatusChoice } from '../../core/readingState';
import { shorten } from '../../core/markdown';
import type { CitationSiteView, HostMessage, NotesView, PaperCommand, PaperView, WebviewMessage, WebviewState } from '../protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

/** Longer titles are cut in the heading, with a button that shows the whole title. */
const HEADING_MAX = 240;

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

function button(message: WebviewMessage, focusId: string, className: string, ...children: Child[]): HTMLButtonElement {
  const element = focusable(el('button', { className }, ...children), focusId);
  element.type = 'button';
  element.addEventListener('click', () => vscode.postMessage(message));
  return element;
}

function commandButton(command: PaperCommand, label: string, iconName: string, primary: boolean): HTMLButtonElement {
  return button({ type: 'command', command }, command, primary ? 'button' : 'button secondary', icon(iconName), label);
}

/** What each link of the page asks the host to do; links never navigate (see onLinkActivation). */
const linkMessages = new WeakMap<Element, WebviewMessage>();

/** A link: an anchor, so that it is focusable, activated by Enter and announced as a link. */
function link(message: WebviewMessage, href: string, focusId: string, ...children: Child[]): HTMLAnchorElement {
  const anchor = focusable(el('a', {}, ...children), focusId);
  anchor.href = href;
  linkMessages.set(anchor, message);
  return anchor;
}

/** The title as the heading; a title too long to read at a glance is cut, with a button that shows all of it. */
function titleHeading(paper: PaperView): Node[] {
  const whole = paper.title.replace(/\s+/g, ' ').trim();
  const heading = el('h1', {}, whole);
  if (whole.length <= HEADING_MAX) return [heading];
  const toggle = focusable(el('button', { className: 'link-button' }), 'title-toggle');
  toggle.type = 'button';
  const update = () => {
    const wholeTitle = shown?.wholeTitle ?? false;
    heading.textContent = wholeTitle ? whole : shorten(whole, HEADING_MAX);
    toggle.textContent = wholeTitle ? 'Show less' : `Show the whole title (${whole.length.toLocaleString('en')} characters)`;
    toggle.setAttribute('aria-expanded', String(wholeTitle));
  };
  toggle.addEventListener('click', () => {
    if (shown) shown.wholeTitle = !shown.wholeTitle;
    update();
  });
  update();
  return [heading, toggle];
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
      const anchor = link(
        { type: 'openCitation', uri: site.uri, line: site.line },
        '#',
        `cite:${site.uri}#${site.line}`,
        el('span', { className: 'line-number' }, `line ${site.line + 1}`),
        el('span', { className: 'preview' }, site.preview),
      );
      anchor.className = 'cite-line';
      anchor.setAttribute('aria-label', `${fileSites[0].file}, line ${site.line + 1}: ${site.preview}`);
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
    ...(paper.zotero ? [commandButton('importAnnotations', 'Import Annotations', 'comment-discussion', false)] : []),
    ...(hasCode ? [button({ type: 'openLink', kind: 'code' }, 'openCode', 'button secondary', icon(LINKS.code.icon), 'Open Code Repository')] : []),
  );
  const meta = metaItems(paper);
  const header = el(
    'header',
    {},
    ...titleHeading(paper),
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
    const links = paper.links.map(({ kind, url }) => {
      const { icon: iconName, label } = LINKS[kind];
      const anchor = link({ type: 'openLink', kind }, url, `link:${kind}`, icon(iconName), el('span', { className: 'link-label' }, label));
      return el('li', {}, anchor, el('span', { className: 'url' }, url));
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

/** The key of the paper on the page, and whether its whole title is shown. */
let shown: { key: string; wholeTitle: boolean } | undefined;

function show(nodes: Node[]): void {
  const focusId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusId : undefined;
  root.replaceChildren(...nodes);
  if (focusId) root.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(focusId)}"]`)?.focus();
}

/**
 * Every link of the page takes this one path, by mouse or keyboard (Enter clicks a link): a listener
 * that captures on the window runs before anything else sees the click, cancels the navigation and
 * stops the click there, so that VS Code's own handling of links in webviews does not open the
 * address a second time. The host opens the paper's own address, after its checks.
 */
function onLinkActivation(event: MouseEvent): void {
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  if (!anchor) return;
  event.preventDefault();
  event.stopPropagation();
  const message = linkMessages.get(anchor);
  if (message && event.type === 'click') vscode.postMessage(message);
}
window.addEventListener('click', onLinkActivation, true);
window.addEventListener('auxclick', onLinkActivation, true);

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  const key = message.type === 'paper' ? message.paper.key : message.key;
  const samePaper = shown?.key === key;
  if (!samePaper) shown = { key, wholeTitle: false };
  vscode.setState({ key });
  switch (message.type) {
    case 'paper':
      document.title = shorten(message.paper.title, HEADING_MAX);
      show(renderPaper(message.paper, message.notes));
      break;
    case 'missing':
      show(renderMissing(message.key));
      break;
  }
  // The panel shows the next paper in place of the last one: start it at the top.
  if (!samePaper) window.scrollTo(0, 0);
});

vscode.postMessage({ type: 'ready' });
