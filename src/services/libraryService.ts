import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import type { Library, Paper, Topic } from '../core/model';
import { paperLookup } from '../core/paperLookup';

/** Holds the loaded library and tells listeners when it changes. */
export class LibraryService extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private lookup: (key: string) => Paper | undefined = () => undefined;
  private topicsById = new Map<string, Topic>();

  private current: Library = { papers: [], topics: [] };
  private loading: Promise<void> = Promise.resolve();

  /** Settles when the load in progress (if any) has finished. */
  get ready(): Promise<void> {
    return this.loading;
  }

  /** Replaces the library with what `load` returns; until then the previous library stays in place. */
  load(load: () => Promise<Library>): Promise<void> {
    this.loading = load().then((library) => this.replace(library));
    return this.loading;
  }

  get library(): Library {
    return this.current;
  }

  get papers(): readonly Paper[] {
    return this.current.papers;
  }

  get topics(): readonly Topic[] {
    return this.current.topics;
  }

  /** The paper with this citation key, or whose merged records had it (see `Paper.aliases`). */
  getPaper(key: string): Paper | undefined {
    return this.lookup(key);
  }

  getTopic(id: string): Topic | undefined {
    return this.topicsById.get(id);
  }

  /** Puts `library` in place and tells the listeners; the library already in place is left as it is, without an event. */
  replace(library: Library): void {
    if (library === this.current) return;
    this.current = library;
    this.index();
    this.changed.fire();
  }

  private index(): void {
    this.lookup = paperLookup(this.current.papers);
    this.topicsById = new Map(this.current.topics.map((topic) => [topic.id, topic]));
  }
}
