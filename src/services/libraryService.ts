import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import type { Library, Paper, Topic } from '../core/model';
import { paperLookup } from '../core/paperLookup';
import type { LibraryOverview } from './libraryCacheState';

/** Holds the loaded library and tells listeners when it changes. */
export class LibraryService extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private lookup: (key: string) => Paper | undefined = () => undefined;
  private topicsById = new Map<string, Topic>();

  private current: Library = { papers: [], topics: [] };
  private loading: Promise<void> = Promise.resolve();
  private shownOverview?: LibraryOverview;
  private readonly overviewChanged = this._register(new vscode.EventEmitter<void>());
  /** Fires when an overview is shown or withdrawn; a library put in place withdraws it with `onDidChange` alone. */
  readonly onDidChangeOverview = this.overviewChanged.event;

  /** Settles when the load in progress (if any) has finished. */
  get ready(): Promise<void> {
    return this.loading;
  }

  /** Replaces the library with what `load` returns; until then the previous library stays in place. */
  load(load: () => Promise<Library>): Promise<void> {
    this.loading = load().then(
      (library) => this.replace(library),
      (error: unknown) => {
        this.showOverview(undefined);
        throw error;
      },
    );
    return this.loading;
  }

  /**
   * What the views may show of the library that a load is about to put in place, before it is
   * there (the library cache's overview); undefined once it is in place or the load fails.
   */
  get overview(): LibraryOverview | undefined {
    return this.shownOverview;
  }

  /** Settles when the load in progress has shown an overview or ended, whichever comes first; never rejects (`ready` tells how the load went). */
  overviewOrReady(): Promise<void> {
    if (this.shownOverview) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        listener.dispose();
        resolve();
      };
      const listener = this.onDidChangeOverview(() => this.shownOverview && done());
      this.loading.then(done, done);
    });
  }

  showOverview(overview: LibraryOverview | undefined): void {
    if (overview === this.shownOverview) return;
    this.shownOverview = overview;
    this.overviewChanged.fire();
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
    const overview = this.shownOverview;
    this.shownOverview = undefined;
    if (library === this.current) {
      if (overview) this.overviewChanged.fire();
      return;
    }
    this.current = library;
    this.index();
    this.changed.fire();
  }

  private index(): void {
    // Made at the first look-up, not on the way to the views' first answer.
    const { papers } = this.current;
    let lookup: ((key: string) => Paper | undefined) | undefined;
    this.lookup = (key) => (lookup ??= paperLookup(papers))(key);
    this.topicsById = new Map(this.current.topics.map((topic) => [topic.id, topic]));
  }
}
