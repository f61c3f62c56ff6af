import * as vscode from 'vscode';
import type { Library, Paper, Topic } from '../core/model';

/** Holds the loaded library and tells listeners when it changes. */
export class LibraryService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private byKey = new Map<string, Paper>();
  private byAlias = new Map<string, Paper>();
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
    return this.byKey.get(key) ?? this.byAlias.get(key);
  }

  getTopic(id: string): Topic | undefined {
    return this.topicsById.get(id);
  }

  replace(library: Library): void {
    this.current = library;
    this.index();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private index(): void {
    this.byKey = new Map(this.current.papers.map((paper) => [paper.key, paper]));
    this.byAlias = new Map(this.current.papers.flatMap((paper) => (paper.aliases ?? []).map((alias) => [alias, paper] as const)));
    this.topicsById = new Map(this.current.topics.map((topic) => [topic.id, topic]));
  }
}
