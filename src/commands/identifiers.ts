/**
 * Add Paper by Identifier (its input box filled in from the selection or the clipboard), Add Papers
 * from Selection and Update Paper Metadata: the only commands that use the network, and only when
 * the user runs them. Identifiers are read from the text, papers already in the library are named
 * instead of fetched, the rest are looked up with a cancellable progress notification, given a key,
 * and appended to the library file the user picks; the library reloads from the file, and the first
 * new paper is revealed and opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toBibtex } from '../core/bibtex';
import { errorText } from '../core/errors';
import { identityOfIdentifier, identityOfRecord, LibraryIndex, recordItem, recordPaper, type LibraryMatch } from '../core/identifiers/additions';
import { appendToBibtex, appendToCslJson, LibraryFileError, updateBibtexEntry, updateCslJsonItem } from '../core/identifiers/libraryFile';
import { findIdentifiers, identifierLabel, parseIdentifier, type FoundIdentifier, type Identifier } from '../core/identifiers/parse';
import type { FetchedRecord } from '../core/identifiers/record';
import { bibtexEntryChanges, cslItemChanges, type FieldChange } from '../core/identifiers/update';
import type { Paper } from '../core/model';
import { importSource } from '../core/sources';
import { parseBibtex, type BibEntry } from '../core/sources/bibtexParser';
import { sourceKindOf } from '../core/sources/source';
import { writeFileAtomic } from '../node/files';
import { HttpClient } from '../node/http';
import { isCancelled, MetadataClient } from '../node/metadataClient';
import { resolveSettingPath } from '../services/workspacePaths';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePaper, type PaperArg } from './paperArgs';

const EXTENSION_ID = 'litnotes.litnotes';
/** How long to wait for the library to read the new papers back from the file it watches. */
const RELOAD_WAIT_MS = 10_000;

interface TargetFile {
  setting: string;
  path: string;
  kind: 'bibtex' | 'csl-json';
}

interface Addition {
  key: string;
  record: FetchedRecord;
  input: string;
}

export function registerIdentifierCommands(services: Workbench): vscode.Disposable[] {
  const { log } = services;
  return [
    vscode.commands.registerCommand('litnotes.addPaperByIdentifier', guarded(log, 'add the paper', (text?: unknown) => addPapers(services, typeof text === 'string' ? text : undefined))),
    vscode.commands.registerCommand('litnotes.addPapersFromSelection', guarded(log, 'add the papers', () => addFromSelection(services))),
    vscode.commands.registerCommand('litnotes.updatePaperMetadata', guarded(log, 'update the paper metadata', (arg?: PaperArg) => updateMetadata(services, arg))),
  ];
}

/** The input box, filled in with what the selection or the clipboard holds; a text argument skips it. */
async function addPapers(services: Workbench, text: string | undefined): Promise<void> {
  if (text !== undefined) return addFromText(services, text, 'the text');
  const typed = await vscode.window.showInputBox({
    title: 'Add Paper by Identifier',
    prompt: 'arXiv ids, DOIs, or arXiv, doi.org, OpenReview or ACL Anthology links; several at once separated by spaces, commas or lines',
    placeHolder: '2412.02685, 10.18653/v1/2024.acl-long.123, https://openreview.net/forum?id=…',
    value: await prefill(),
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      const { found, unrecognised } = findIdentifiers(value);
      if (found.length === 0) return 'No arXiv id, DOI or supported link in this text.';
      return unrecognised.length > 0 ? { message: `Not read as identifiers: ${unrecognised.slice(0, 5).join(', ')}${unrecognised.length > 5 ? ' …' : ''}`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (typed === undefined || !typed.trim()) return;
  await addFromText(services, typed, 'the text');
}

/** Identifiers selected in the active Markdown note, else on the clipboard (read only when needed). */
async function prefill(): Promise<string> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor?.document.languageId === 'markdown' ? editor.selections.map((selection) => editor.document.getText(selection)).join('\n') : '';
  const inputs = (text: string) => findIdentifiers(text).found.map((entry) => entry.input).join(', ');
  return inputs(selected) || inputs(await vscode.env.clipboard.readText());
}

async function addFromSelection(services: Workbench): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const text = editor ? editor.selections.map((selection) => editor.document.getText(selection)).join('\n') : '';
  if (!text.trim()) {
    void vscode.window.showInformationMessage('Select the identifiers or links of the papers to add in a Markdown note first.');
    return;
  }
  await addFromText(services, text, 'the selection');
}

async function addFromText(services: Workbench, text: string, where: string): Promise<void> {
  const { found } = findIdentifiers(text);
  if (found.length === 0) {
    void vscode.window.showInformationMessage(`No arXiv id, DOI or arXiv, doi.org, OpenReview or ACL Anthology link in ${where}.`);
    return;
  }
  const known = new LibraryIndex(services.library.papers);
  const duplicates: { input: string; match: LibraryMatch }[] = [];
  const wanted: FoundIdentifier[] = [];
  for (const entry of found) {
    const match = known.find(identityOfIdentifier(entry.identifier));
    if (match) duplicates.push({ input: entry.input, match });
    else wanted.push(entry);
  }
  if (wanted.length === 0) {
    await report(services, { added: [], duplicates, errors: [] });
    return;
  }
  const target = await pickTarget(services);
  if (!target) return;
  const results = await fetchWithProgress(
    services,
    wanted.map((entry) => entry.identifier),
    wanted.length === 1 ? `Lit Notes: looking up ${identifierLabel(wanted[0].identifier)}…` : `Lit Notes: looking up ${wanted.length} papers…`,
  );
  if (!results) return;
  const fileText = readText(target.path);
  const filePapers = fileText === undefined ? [] : importSource(target.kind, fileText).papers.map((imported) => imported.paper);
  const index = new LibraryIndex([...services.library.papers, ...filePapers]);
  const additions: Addition[] = [];
  const errors: string[] = [];
  results.forEach((result, at) => {
    const { input } = wanted[at];
    if ('error' in result) {
      errors.push(result.error);
      return;
    }
    const match = index.find(identityOfRecord(result.record));
    if (match) {
      duplicates.push({ input, match });
      return;
    }
    const key = index.keyFor(result.record);
    index.add(recordPaper(key, result.record), identityOfRecord(result.record));
    additions.push({ key, record: result.record, input });
  });
  if (additions.length > 0) {
    try {
      writeAdditions(target, fileText, additions);
    } catch (error) {
      if (!(error instanceof LibraryFileError)) throw error;
      services.log.warn(error.message);
      void vscode.window.showErrorMessage(`Lit Notes: ${error.message}`);
      return;
    }
    services.log.info(`Added ${additions.map((addition) => `${addition.key} (${addition.input})`).join(', ')} to ${target.path}`);
  }
  for (const error of errors) services.log.warn(`Could not add ${error}`);
  await report(services, { added: additions, duplicates, errors, target });
  if (additions.length > 0) await showAdded(services, additions.map((addition) => addition.key));
}

/** The library files papers can be added to: the configured .bib and .json files. */
function targetFiles(services: Workbench): TargetFile[] {
  return services.settings.libraryFiles.flatMap((setting): TargetFile[] => {
    const kind = sourceKindOf(setting);
    const file = resolveSettingPath(setting, 'litnotes.library.files').uri?.fsPath;
    return file && (kind === 'bibtex' || kind === 'csl-json') ? [{ setting, path: file, kind }] : [];
  });
}

async function pickTarget(services: Workbench): Promise<TargetFile | undefined> {
  const files = targetFiles(services);
  if (files.length === 0) {
    const choice = await vscode.window.showWarningMessage(
      'Papers are added to one of your own library files, and none is configured: add a .bib or CSL-JSON .json file to "litnotes.library.files" first.',
      'Add Library File…',
      'Open Settings',
    );
    if (choice === 'Add Library File…') await vscode.commands.executeCommand('litnotes.addLibraryFile');
    else if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'litnotes.library.files');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({
      file,
      label: `$(${file.kind === 'bibtex' ? 'file-code' : 'json'}) ${path.basename(file.path)}`,
      description: file.setting,
      detail: `${file.kind === 'bibtex' ? 'BibTeX' : 'CSL-JSON'}${fs.existsSync(file.path) ? '' : ' · will be created'}`,
    })),
    { title: 'Add to Which Library File?', placeHolder: 'The file the new papers are appended to' },
  );
  return picked?.file;
}

/** Looks the identifiers up under a cancellable progress notification; undefined when cancelled. */
async function fetchWithProgress(services: Workbench, identifiers: Identifier[], title: string) {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let done = 0;
    try {
      return await metadataClient(services).lookup(identifiers, controller.signal, () => {
        done++;
        progress.report({ increment: 100 / identifiers.length, message: identifiers.length > 1 ? `${done} of ${identifiers.length}` : undefined });
      });
    } catch (error) {
      if (!isCancelled(error)) throw error;
      void vscode.window.showInformationMessage('Lit Notes: cancelled; nothing was added or changed.');
      return undefined;
    } finally {
      subscription.dispose();
    }
  });
}

function metadataClient(services: Workbench): MetadataClient {
  const version = String(vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON?.version ?? '0');
  return new MetadataClient({
    endpoints: services.settings.identifierEndpoints,
    http: new HttpClient({ userAgent: `LitNotes/${version} (VS Code extension Lit Notes; ${vscode.env.appName} ${vscode.version})` }),
  });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LibraryFileError(`could not read ${path.basename(file)}: ${errorText(error)}; nothing was written.`);
  }
}

/**
 * Appends every new paper to the file and writes it once, atomically. The file is read again just
 * before: what was looked at when the keys were made must still be what is on disk.
 */
function writeAdditions(target: TargetFile, readBefore: string | undefined, additions: readonly Addition[]): void {
  const name = path.basename(target.path);
  refuseUnsavedEditor(target.path, name);
  const text = readText(target.path);
  if (text !== readBefore) throw new LibraryFileError(`${name} changed while the papers were looked up; add them again.`);
  let next = text ?? '';
  for (const { key, record } of additions) {
    next = target.kind === 'csl-json' ? appendToCslJson(next, recordItem(key, record), name) : appendToBibtex(next, bibtexEntry(key, record), key, name);
  }
  fs.mkdirSync(path.dirname(target.path), { recursive: true });
  writeFileAtomic(target.path, next);
}

/**
 * The record as a BibTeX entry: the paper's export, plus the abstract and keywords the library reads
 * back (its display and its topics), which that export leaves out.
 */
/** The new entry as Export Bibliography writes it (BibTeX, from the record), abstract and keywords included. */
function bibtexEntry(key: string, record: FetchedRecord): string {
  return toBibtex(recordPaper(key, record));
}

/** A file open with unsaved edits would be overwritten by one of the two: neither is. */
function refuseUnsavedEditor(file: string, name: string): void {
  if (vscode.workspace.textDocuments.some((document) => document.isDirty && document.uri.scheme === 'file' && document.uri.fsPath === file)) {
    throw new LibraryFileError(`${name} has unsaved changes in the editor: save or revert them, then try again. Nothing was written.`);
  }
}

interface Outcome {
  added: readonly Addition[];
  duplicates: readonly { input: string; match: LibraryMatch }[];
  errors: readonly string[];
  target?: TargetFile;
}

/** One message for the run: what was added where, what was there already, what failed and why. */
async function report(services: Workbench, { added, duplicates, errors, target }: Outcome): Promise<void> {
  const parts: string[] = [];
  if (added.length > 0 && target) parts.push(`Added ${added.map((addition) => addition.key).join(', ')} to ${path.basename(target.path)}.`);
  if (duplicates.length > 0) {
    parts.push(`Already in your library: ${duplicates.map(({ input, match }) => `${input} (${match.paper.key}, same ${match.by})`).join('; ')}.`);
  }
  if (errors.length > 0) parts.push(`Could not add ${errors.join('; ')}.`);
  const message = `Lit Notes: ${parts.join(' ')}`;
  const show = errors.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const actions = [...(duplicates.length > 0 && added.length === 0 ? ['Show Paper'] : []), ...(errors.length > 0 ? ['Show Log'] : [])];
  // The message does not hold up showing the new papers; its buttons still work when clicked later.
  const answered = show(message, ...actions).then(async (choice) => {
    if (choice === 'Show Paper') await revealAndOpen(services, duplicates[0].match.paper.key);
    else if (choice === 'Show Log') services.log.show();
  });
  if (added.length === 0) await answered;
}

/** Waits for the library to read the new papers from the file it watches, then shows the first. */
async function showAdded(services: Workbench, keys: readonly string[]): Promise<void> {
  const present = () => keys.every((key) => services.library.getPaper(key));
  if (!present() && !(await libraryHas(services, present, RELOAD_WAIT_MS))) {
    await vscode.commands.executeCommand('litnotes.refresh');
    if (!present()) {
      services.log.warn(`The library did not show ${keys.join(', ')} after they were written; see the Problems panel for the library file.`);
      return;
    }
  }
  await revealAndOpen(services, keys[0]);
}

function libraryHas(services: Workbench, present: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const subscription = services.library.onDidChange(() => present() && done(true));
    function done(result: boolean) {
      clearTimeout(timer);
      subscription.dispose();
      resolve(result);
    }
  });
}

/** The panel first: revealing the row can take a moment when the Papers view has to open. */
async function revealAndOpen(services: Workbench, key: string): Promise<void> {
  services.detailPanels.show(key);
  await services.papersView.revealPaper(key);
}

// ---------------------------------------------------------------------------------------------
// Update Paper Metadata

interface LocatedEntry {
  target: TargetFile;
  text: string;
  /** The key as the file writes it (the paper's own, or one of its aliases). */
  key: string;
  item?: Record<string, unknown>;
  entry?: BibEntry;
}

async function updateMetadata(services: Workbench, arg: PaperArg): Promise<void> {
  const paper = await resolvePaper(services, arg, 'Update Paper Metadata');
  if (!paper) return;
  const located = locate(services, paper);
  if (!located) {
    // Lit Notes never writes to Zotero: its items are updated there, and the change arrives with the next sync.
    const from = paper.zotero ? 'it comes from Zotero: update it there' : 'it comes from the bundled library or a listing';
    void vscode.window.showInformationMessage(`"${paper.key}" is not in one of your .bib or .json library files (${from}), so there is no entry of yours to update.`);
    return;
  }
  const identifier = identifierOf(paper, located);
  if (!identifier) {
    void vscode.window.showInformationMessage(`"${located.key}" has no arXiv id, DOI or OpenReview link to look its metadata up by.`);
    return;
  }
  const results = await fetchWithProgress(services, [identifier], `Lit Notes: looking up ${identifierLabel(identifier)}…`);
  if (!results) return;
  const [result] = results;
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Lit Notes: could not update "${located.key}": ${result.error}.`);
    return;
  }
  const name = path.basename(located.target.path);
  const changes = located.item ? { fields: cslItemChanges(located.item, result.record) } : bibtexChanges(located, result.record);
  const all = [...(changes.type ? [changes.type] : []), ...changes.fields];
  if (all.length === 0) {
    void vscode.window.showInformationMessage(`Lit Notes: "${located.key}" in ${name} is up to date with ${identifierLabel(identifier)}.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((change) => ({ change, label: change.name, description: escapeIcons(`${change.before} → ${change.after}`), picked: true })),
    { title: `Update "${located.key}" in ${name}`, placeHolder: 'Untick what to keep as it is, then press Enter', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked || picked.length === 0) return;
  const chosen = new Set(picked.map((item) => item.change));
  try {
    refuseUnsavedEditor(located.target.path, name);
    if (readText(located.target.path) !== located.text) throw new LibraryFileError(`${name} changed while the paper was looked up; run the update again.`);
    const next = located.item
      ? updateCslJsonItem(located.text, located.key, Object.fromEntries(changes.fields.filter((change) => chosen.has(change)).map((change) => [change.name, change.value])), name)
      : updateBibtexEntry(
          located.text,
          located.key,
          {
            ...(changes.type && chosen.has(changes.type) && { type: String(changes.type.value) }),
            fields: Object.fromEntries(changes.fields.filter((change) => chosen.has(change)).map((change) => [change.name, String(change.value)])),
          },
          name,
        );
    writeFileAtomic(located.target.path, next);
  } catch (error) {
    if (!(error instanceof LibraryFileError)) throw error;
    void vscode.window.showErrorMessage(`Lit Notes: ${error.message}`);
    return;
  }
  services.log.info(`Updated ${[...chosen].map((change) => change.name).join(', ')} of ${located.key} in ${located.target.path}`);
  void vscode.window.showInformationMessage(`Lit Notes: updated ${chosen.size} ${chosen.size === 1 ? 'field' : 'fields'} of "${located.key}" in ${name}.`);
}

/** The paper's entry in one of the user's .bib/.json files, by its key or an alias. */
function locate(services: Workbench, paper: Paper): LocatedEntry | undefined {
  const keys = new Set([paper.key, ...(paper.aliases ?? [])]);
  for (const target of targetFiles(services)) {
    const text = readText(target.path);
    if (text === undefined) continue;
    if (target.kind === 'bibtex') {
      const entry = parseBibtex(text).entries.find((candidate) => keys.has(candidate.key));
      if (entry) return { target, text, key: entry.key, entry };
      continue;
    }
    let items: unknown;
    try {
      items = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      continue;
    }
    const item = Array.isArray(items) ? items.find((candidate: unknown) => isItem(candidate) && keys.has(String(candidate.id))) : undefined;
    if (isItem(item)) return { target, text, key: String(item.id), item };
  }
  return undefined;
}

/** The identifier to look the entry up by: its arXiv id, its DOI, an arXiv, DOI or OpenReview URL. */
function identifierOf(paper: Paper, located: LocatedEntry): Identifier | undefined {
  const fields = located.item ?? located.entry?.fields ?? {};
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  const candidates = [paper.arxivId, paper.doi, text('DOI') ?? text('doi'), text('URL') ?? text('url')];
  for (const candidate of candidates) {
    const identifier = candidate ? parseIdentifier(candidate) : undefined;
    if (identifier) return identifier;
  }
  return undefined;
}

function bibtexChanges(located: LocatedEntry, record: FetchedRecord): { type?: FieldChange; fields: FieldChange[] } {
  const fresh = parseBibtex(bibtexEntry(located.key, record)).entries[0];
  return located.entry && fresh ? bibtexEntryChanges(located.entry, fresh) : { fields: [] };
}

function isItem(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>).id === 'string';
}

/** Quick pick text renders `$(name)` as an icon: text from a paper must not. */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
