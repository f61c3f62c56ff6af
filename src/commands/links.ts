import * as vscode from 'vscode';
import type { Paper, PaperLinks } from '../core/model';
import { safeExternalUrl } from '../core/urls';
import { guarded } from '../services/log';
import type { Services } from '../services/services';
import { resolvePaper, type PaperArg } from './paperArgs';

const LINKS: ReadonlyArray<{ command: string; link: keyof PaperLinks; what: string }> = [
  { command: 'litnotes.openCodeRepository', link: 'code', what: 'code repository' },
  { command: 'litnotes.openArxiv', link: 'arxiv', what: 'arXiv page' },
  { command: 'litnotes.openPdf', link: 'pdf', what: 'PDF' },
  { command: 'litnotes.openHuggingFace', link: 'huggingFace', what: 'Hugging Face page' },
];

/** Opens a paper's links in the browser; only http(s) addresses are ever opened. */
export function registerLinkCommands(services: Services): vscode.Disposable[] {
  return LINKS.map(({ command, link, what }) =>
    vscode.commands.registerCommand(
      command,
      guarded(services.log, `open the ${what}`, async (arg?: PaperArg) => {
        const paper = await resolvePaper(services, arg, `Open ${what}`);
        if (paper) await openLink(services, paper, link, what);
      }),
    ),
  );
}

async function openLink(services: Services, paper: Paper, link: keyof PaperLinks, what: string): Promise<void> {
  const raw = paper.links[link];
  if (!raw) {
    void vscode.window.showInformationMessage(`"${paper.title}" has no ${what} in the library.`);
    return;
  }
  const url = safeExternalUrl(raw);
  if (!url) {
    services.log.warn(`Refused to open the ${what} of ${paper.key}: not an http(s) address: ${raw}`);
    void vscode.window.showWarningMessage(`Lit Notes opens only http and https addresses; the ${what} of "${paper.title}" is not one, so it was not opened.`);
    return;
  }
  services.log.info(`Opening ${url}`);
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}
