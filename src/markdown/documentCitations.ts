import * as vscode from 'vscode';
import { scanCitations, type Citation } from '../core/citationScanner';

/** The Markdown documents the citation features serve. */
export const MARKDOWN_DOCUMENTS: vscode.DocumentSelector = { language: 'markdown' };

const cache = new WeakMap<vscode.TextDocument, { version: number; citations: Citation[] }>();

/** The document's citations, scanned once per version however many providers ask. */
export function citationsOf(document: vscode.TextDocument): Citation[] {
  const cached = cache.get(document);
  if (cached?.version === document.version) return cached.citations;
  const citations = scanCitations(document.getText());
  cache.set(document, { version: document.version, citations });
  return citations;
}

/** `@key` or `@{key}` as a range of the document. */
export function citationRange(document: vscode.TextDocument, citation: Citation): vscode.Range {
  return new vscode.Range(document.positionAt(citation.start), document.positionAt(citation.end));
}

/** A `command:` URI running a Lit Notes command with the citation key as its only argument. */
export function paperCommandUri(command: string, key: string): vscode.Uri {
  return vscode.Uri.parse(`command:${command}?${encodeURIComponent(JSON.stringify([key]))}`);
}
