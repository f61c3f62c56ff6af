import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { errorDetail } from '../core/errors';
import { decodeDiscoveryState, encodeDiscoveryState, type EncodedDiscoveryState, type RestoredDiscovery } from '../core/topics/discoveryState';
import type { DiscoveryRun } from '../core/topics/incremental';
import { readBytesIfAny, removeWithLeftovers, writeBytes } from '../node/cacheFiles';
import { libraryShape } from './libraryCacheState';
import type { Settings } from './settings';

const FILE_NAME = 'topic-discovery.bin';
/** A save waits this long for the next discovery, so that a burst of changes is written once. */
const SAVE_DELAY_MS = 1000;

/**
 * The last topic discovery kept in the folder VS Code gives this workspace (beside the library
 * cache), so that after a restart a paper more joins a topic without a whole discovery. Read once,
 * when the first discovery is due; written off the hot path (after a pause, atomically). A state that cannot be used is
 * logged and left for the next save to replace: a whole discovery runs, as with none.
 */
export class DiscoveryStateFile extends Disposable {
  private loaded?: Promise<RestoredDiscovery | undefined>;
  private pending?: { run: DiscoveryRun; encoded?: EncodedDiscoveryState };
  private timer?: ReturnType<typeof setTimeout>;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The folder to keep the file in; undefined keeps nothing. */
    private readonly folder: vscode.Uri | undefined,
    /** The extension's version: a state from another version is not used. */
    private readonly extensionVersion: string,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    // What is still to write when the window closes is written then (not awaited: the next start reads the old file or the new).
    this._register({ dispose: () => this.flush() });
  }

  get file(): string | undefined {
    return this.folder && path.join(this.folder.fsPath, FILE_NAME);
  }

  /** What shapes a discovery besides its papers: the same shape, the same discovery. */
  get shape(): string {
    return JSON.stringify(libraryShape(this.extensionVersion, this.settings));
  }

  /** The saved discovery when it fits the current version and settings, else undefined (with a log line why). */
  async restored(): Promise<DiscoveryRun | undefined> {
    // Read when first asked: a start whose library comes whole from the cache never needs it.
    const restored = await (this.loaded ??= this.read());
    if (!restored) return undefined;
    if (restored.shape !== this.shape) {
      this.log.info('Topic discovery state not used: it was made by another version or for other library settings; topics are discovered afresh');
      return undefined;
    }
    return restored.run;
  }

  /** Keeps `run` as the state to restore next time; written a moment later (as `encoded` when given, encoded where the discovery ran). */
  save(run: DiscoveryRun, encoded?: EncodedDiscoveryState): void {
    // Closed, the window wrote what it had: nothing is written after.
    if (!this.file || this.isDisposed) return;
    this.pending = { run, encoded };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Writes what `save` was given last, now; settles when written (or failed, logged). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    const pending = this.pending;
    const file = this.file;
    this.pending = undefined;
    if (pending && file) this.writing = this.writing.then(() => this.write(file, pending.run, pending.encoded));
    return this.writing;
  }

  /** Removes the file (after a write under way, and instead of one still waiting); resolves with the bytes freed. */
  async clear(): Promise<number> {
    clearTimeout(this.timer);
    this.pending = undefined;
    const file = this.file;
    if (!file) return 0;
    await this.writing;
    const freed = await removeWithLeftovers(file);
    this.log.info(`Topic discovery state cleared: ${Math.ceil(freed / 1024)} KB freed; the next start discovers topics afresh`);
    return freed;
  }

  private async write(file: string, run: DiscoveryRun, encoded: EncodedDiscoveryState | undefined): Promise<void> {
    const started = performance.now();
    try {
      // Encoded for other settings (changed since the discovery was asked): encoded again, for these.
      const shape = this.shape;
      const parts = encoded?.shape === shape ? encoded.parts : encodeDiscoveryState(run, shape);
      await writeBytes(file, parts);
      const bytes = parts.reduce((sum, part) => sum + part.length, 0);
      this.log.info(`Topic discovery state saved: ${run.inputs.size} papers, ${Math.ceil(bytes / 1024)} KB in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      this.log.warn('Could not save the topic discovery state (the next start discovers topics afresh):', errorDetail(error));
    }
  }

  private async read(): Promise<RestoredDiscovery | undefined> {
    const file = this.file;
    if (!file) return undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readBytesIfAny(file);
    } catch (error) {
      this.log.warn('Topic discovery state could not be read; topics are discovered afresh:', errorDetail(error));
      return undefined;
    }
    if (!bytes) {
      this.log.info('Topic discovery state: none yet');
      return undefined;
    }
    const decoded = decodeDiscoveryState(bytes);
    if ('error' in decoded) {
      this.log.warn(`Topic discovery state ignored (${decoded.error}); topics are discovered afresh`);
      return undefined;
    }
    this.log.info(`Topic discovery state read: ${decoded.run.inputs.size} papers in ${decoded.run.discovery.topics.length} topics`);
    return decoded;
  }
}
