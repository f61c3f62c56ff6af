import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import type { Topic } from '../core/model';
import { NO_DISCOVERY, type DiscoveryRequest } from '../core/topics/assemble';
import type { Discovery } from '../core/topics/discovery';
import type { EncodedDiscoveryState } from '../core/topics/discoveryState';
import { discoveryRun, updateDiscovery, type DiscoveryRun } from '../core/topics/incremental';
import {
  deleteTopic,
  EMPTY_DECISIONS,
  mergeTopic,
  newUserTopicId,
  parseTopicsFile,
  serializeTopicsFile,
  withPaperTopics,
  withTopic,
  type TopicDecisions,
} from '../core/topics/topicsFile';
import type { TopicsAnswer, TopicsAsk } from '../core/workerRpc';
import type { DiscoveryStateFile } from './discoveryStateFile';
import type { LibraryService } from './libraryService';
import type { Settings } from './settings';
import { WorkspaceFile, type WorkspaceFileFormat } from './workspaceFile';

const TOPICS_FILE: WorkspaceFileFormat<TopicDecisions> = {
  setting: 'topics.file',
  path: (settings) => settings.topicsFile,
  noun: 'topics file',
  known: 'the topic changes Lit Notes knows',
  needsFolder: 'Lit Notes keeps the topics you make and the papers you place in a file of the workspace: open a folder first.',
  empty: EMPTY_DECISIONS,
  parse: (text) => {
    const parsed = parseTopicsFile(text);
    return 'error' in parsed ? parsed : { state: parsed.decisions };
  },
  serialize: serializeTopicsFile,
};

/**
 * What the user decided about topics, kept in `litnotes.topics.file` (`.litnotes/topics.json`), and
 * the edits that change it. The library is assembled again whenever the file changes, on disk or
 * through an edit. A discovered topic the user edits, or puts papers into, is pinned first: its id
 * and papers would otherwise follow the next discovery, and the user's edit with them. It also keeps
 * the last discovery (across restarts in `state`), so that a paper more joins a topic without moving the others.
 */
export class TopicsService extends Disposable {
  private readonly file: WorkspaceFile<TopicDecisions>;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** The last discovery and what it was asked; until the first, the one saved by the last session. */
  private lastDiscovery?: DiscoveryRun;
  /** Whether the saved discovery was asked for (once, by the first discovery of the session). */
  private restoreAsked = false;
  readonly onDidChange = this.changed.event;

  constructor(
    settings: Settings,
    private readonly library: LibraryService,
    log: vscode.LogOutputChannel,
    /** Where the last discovery is kept between sessions; undefined: for this session only. */
    private readonly state?: DiscoveryStateFile,
  ) {
    super();
    this.file = this._register(new WorkspaceFile(TOPICS_FILE, settings, log));
    if (state) this._register(state);
    // Our own write comes back through the file watcher: the same decisions read again change nothing.
    this._register(
      this.file.onDidChange(({ previous, next }) => {
        if (serializeTopicsFile(previous) !== serializeTopicsFile(next)) this.changed.fire();
      }),
    );
  }

  /**
   * The discovered topics for the papers no other rule placed: the last discovery brought up to
   * date when only a few papers came or went (each new one joins a topic, nothing else moves), else
   * a whole discovery from `whole` (run off the main thread by the caller, which encodes its state
   * there too when asked for one of `stateShape`).
   */
  async discover(request: DiscoveryRequest, whole: (ask: TopicsAsk) => Promise<TopicsAnswer>): Promise<Discovery> {
    if (!this.restoreAsked) {
      this.restoreAsked = true;
      this.lastDiscovery ??= await this.state?.restored();
    }
    const updated = updateDiscovery(this.lastDiscovery, request);
    if (updated) {
      this.remember(updated);
      return updated.discovery;
    }
    const { discovery, state } = await whole({ request, stateShape: this.state?.shape });
    // A discovery that failed is not one to build on.
    this.remember(discovery === NO_DISCOVERY && request.papers.length > 0 ? undefined : discoveryRun(request, discovery), state);
    return discovery;
  }

  private remember(run: DiscoveryRun | undefined, encoded?: EncodedDiscoveryState): void {
    this.lastDiscovery = run;
    if (run) this.state?.save(run, encoded);
  }

  get ready(): Promise<void> {
    return this.file.ready;
  }

  get decisions(): TopicDecisions {
    return this.file.state;
  }

  fileUri(): vscode.Uri | undefined {
    return this.file.fileUri();
  }

  /** A new topic the user names, under `parent` when given; resolves to its id, or undefined when nothing was written. */
  async create(label: string, parent?: string): Promise<string | undefined> {
    let id: string | undefined;
    const written = await this.file.update((decisions) => {
      id = newUserTopicId(label, (candidate) => decisions.topics.has(candidate) || this.library.getTopic(candidate) !== undefined);
      const created = withTopic(decisions, id, () => ({ label, ...(parent && { parent }) }));
      return parent ? this.pinned(created, [parent]) : created;
    });
    return written ? id : undefined;
  }

  rename(id: string, label: string): Promise<boolean> {
    return this.file.update((decisions) => withTopic(this.pinned(decisions, [id]), id, (current) => ({ ...current, label })));
  }

  merge(from: string, into: string): Promise<boolean> {
    return this.file.update((decisions) => mergeTopic(this.pinned(decisions, [from, into]), from, into));
  }

  delete(id: string): Promise<boolean> {
    return this.file.update((decisions) => deleteTopic(decisions, id));
  }

  pin(id: string): Promise<boolean> {
    return this.file.update((decisions) => this.pinned(decisions, [id]));
  }

  /** Makes `id` a sub-topic of `parent` (undefined: a top-level topic). */
  setParent(id: string, parent: string | undefined): Promise<boolean> {
    return this.file.update((decisions) => withTopic(this.pinned(decisions, [id, ...(parent ? [parent] : [])]), id, (current) => ({ ...current, parent })));
  }

  /**
   * Moves papers out of `from` (the row they were dragged from; undefined: out of no topic) into `to`
   * (undefined: Unsorted, out of `from` only). `to` becomes the paper's first topic; its other topics stay.
   */
  move(keys: readonly string[], from: string | undefined, to: string | undefined): Promise<boolean> {
    return this.file.update((decisions) =>
      withPaperTopics(this.pinned(decisions, to ? [to] : []), keys, (key) => this.topicsOf(key), (topics) => [
        ...(to ? [to] : []),
        ...topics.filter((topic) => topic !== from && topic !== to),
      ]),
    );
  }

  /** Adds papers to `to`, keeping their other topics. */
  add(keys: readonly string[], to: string): Promise<boolean> {
    return this.file.update((decisions) => withPaperTopics(this.pinned(decisions, [to]), keys, (key) => this.topicsOf(key), (topics) => [...topics, to]));
  }

  private topicsOf(key: string): readonly string[] {
    return this.library.getPaper(key)?.topics ?? [];
  }

  /** The discovered topics among `ids` pinned with their papers and label as shown now. */
  private pinned(decisions: TopicDecisions, ids: readonly string[]): TopicDecisions {
    let next = decisions;
    for (const id of ids) {
      const topic: Topic | undefined = this.library.getTopic(id);
      if (topic?.origin !== 'discovered' || decisions.topics.get(id)?.pinned) continue;
      const members = this.library.papers.filter((paper) => paper.topics.includes(id)).map((paper) => paper.key);
      next = withTopic(next, id, (current) => ({ ...current, label: current.label ?? topic.label, pinned: true, members }));
    }
    return next;
  }
}
