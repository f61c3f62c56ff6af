/** A CSL formatter on the built-in styles and a markdown-it with the citation plugin, for the preview's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { citationPlugin, type CitationSource } from '../../src/core/citationPlugin';
import { CslFormatter, type CiteprocModule } from '../../src/core/csl';
import type { NoteOptions } from '../../src/core/frontMatter';
import type { Paper } from '../../src/core/model';
import { paperLookup } from '../../src/core/paperLookup';
import { CslAssets, type StyleFile } from '../../src/node/cslAssets';

const requireFromHere = createRequire(__filename);

/**
 * The built-in styles and locales written into a temporary folder (`dir/dist/csl`), as the build
 * writes them, read through the extension's own loader with the user's style files `extraStyles`;
 * `remove` when done.
 */
export async function cslAssets(): Promise<{ dir: string; formatter(locale?: string, extraStyles?: () => readonly StyleFile[]): CslFormatter; remove(): void }> {
  const script = pathToFileURL(join(__dirname, '../../scripts/csl-assets.mjs')).href;
  const { writeCslAssets } = (await import(script)) as { writeCslAssets: (outDir: string) => Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'litnotes-preview-'));
  await writeCslAssets(join(dir, 'dist', 'csl'));
  const assets = new CslAssets(join(dir, 'dist'));
  const formatter = (locale?: string, extraStyles: () => readonly StyleFile[] = () => []) =>
    // citeproc-js from its package: the build's bundle of it is not in the folder.
    new CslFormatter({ ...assets.loader(extraStyles), loadCiteproc: () => requireFromHere('citeproc') as CiteprocModule }, { locale });
  return { dir, formatter, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestSource {
  papers: readonly Paper[];
  formatter: CslFormatter;
  /** The configured style when the note names none. */
  styleId?: string;
  document?: string;
  version?: number;
  /** Each call, with the options the note gave. */
  seen?: NoteOptions[];
}

/** A markdown-it as VS Code's preview configures it (HTML on, addresses linked), with the plugin. */
export function previewMarkdown(source: TestSource, options: { hideFrontMatter?: boolean } = {}): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true });
  citationPlugin(md, {
    hideFrontMatter: options.hideFrontMatter ?? true,
    source: (_env, note): CitationSource => {
      source.seen?.push(note);
      const styleId = note.csl ?? source.styleId ?? 'apa';
      return {
        style: { formatter: source.formatter, styleId },
        styleKey: styleId,
        lookup: paperLookup(source.papers),
        allPapers: () => source.papers,
        version: source.version ?? 0,
        document: source.document,
      };
    },
  });
  return md;
}

/** Renders as VS Code's preview does: parsed once with an empty environment, rendered with another that names the note. */
export function renderAsPreview(md: MarkdownIt, markdown: string, document = 'file:///note.md'): string {
  return md.renderer.render(md.parse(markdown, {}), md.options, { currentDocument: document });
}
