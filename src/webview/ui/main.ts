/**
 * The paper detail panel's script. Paper text reaches the page only through textContent and
 * attributes set with DOM APIs, never as markup.
 */
import {
  LINK_COMMANDS,
  type HostMessage,
  type LinkKind,
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

function authorLine(paper: PaperView): string {
  const more = paper.moreAuthors > 0 ? `${paper.moreAuthors} more` : '';
  const names = more ? [...paper.authors, more] : paper.authors;
  if (names.length === 0) return 'Unknown authors';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
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

function renderPaper(paper: PaperView): Node[] {
  const hasCode = paper.links.some((link) => link.kind === 'code');
  const actions = el(
    'div',
    { className: 'actions' },
    commandButton('insertCitation', 'Insert Citation', 'quote', true),
    commandButton('copyBibtex', 'Copy BibTeX', 'copy', false),
    ...(hasCode ? [commandButton('openCode', 'Open Code Repository', 'github', false)] : []),
  );
  const meta = metaItems(paper);
  const header = el(
    'header',
    {},
    el('h1', {}, paper.title),
    el('p', { className: 'authors' }, authorLine(paper)),
    ...(meta.length ? [el('ul', { className: 'meta' }, ...meta)] : []),
    actions,
  );

  const sections: Node[] = [header];
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
      show(renderPaper(message.paper));
      break;
    case 'missing':
      vscode.setState({ key: message.key });
      show(renderMissing(message.key));
      break;
  }
});

vscode.postMessage({ type: 'ready' });
