import * as vscode from 'vscode';
import { LINK_KINDS, LINKS, type LinkKind } from '../core/links';
import type { Paper } from '../core/model';
import { shorten } from '../core/markdown';
import { safeExternalUrl } from '../core/urls';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePaper, type PaperArg } from './paperArgs';

const MESSAGE_TITLE_MAX = 80;

/** Opens a paper's links in the browser, one command per link kind; only http(s) addresses are ever opened. */
export function registerLinkCommands(services: Workbench): vscode.Disposable[] {
  return LINK_KINDS.map((kind) => {
    const { command, what } = LINKS[kind];
    return vscode.commands.registerCommand(
      command,
      guarded(services.log, `open the ${what}`, async (arg?: PaperArg) => {
        const paper = await resolvePaper(services, arg, `Open ${what}`);
        if (paper) await openLink(services, paper, kind);
      }),
    );
  });
}

async function openLink(services: Workbench, paper: Paper, kind: LinkKind): Promise<void> {
  const { what } = LINKS[kind];
  const title = shorten(paper.title, MESSAGE_TITLE_MAX);
  const raw = paper.links[kind];
  if (!raw) {
    void vscode.window.showInformationMessage(`"${title}" has no ${what} in the library.`);
    return;
  }
  const url = safeExternalUrl(raw);
  if (!url) {
    services.log.warn(`Refused to open the ${what} of ${paper.key}: not an http(s) address: ${raw}`);
    void vscode.window.showWarningMessage(`Lit Notes opens only http and https addresses; the ${what} of "${title}" is not one, so it was not opened.`);
    return;
  }
  // False when the user answers No to VS Code's question about opening an external website.
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
  services.log.info(opened ? `Opened ${url}` : `Did not open ${url}: declined`);
}
