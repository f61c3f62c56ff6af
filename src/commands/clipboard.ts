import * as vscode from 'vscode';
import { toBibtexAll } from '../core/bibtex';
import type { Paper } from '../core/model';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePapers, type PaperArg } from './paperArgs';

const COPIES: ReadonlyArray<{ command: string; what: string; text: (services: Workbench, papers: Paper[]) => string }> = [
  { command: 'litnotes.copyCitationKey', what: 'citation key', text: (_services, papers) => papers.map((paper) => paper.key).join(', ') },
  { command: 'litnotes.copyBibtex', what: 'BibTeX entry', text: (_services, papers) => toBibtexAll(papers) },
  { command: 'litnotes.copyCitation', what: 'citation', text: (services, papers) => services.citations.plain(papers) },
];

/** Copies what a paper is cited by; works with one paper or the rows selected in the tree. */
export function registerClipboardCommands(services: Workbench): vscode.Disposable[] {
  return COPIES.map(({ command, what, text }) =>
    vscode.commands.registerCommand(
      command,
      guarded(services.log, `copy the ${what}`, async (arg?: PaperArg, selected?: unknown) => {
        const papers = await resolvePapers(services, arg, selected, `Copy ${what}`);
        if (!papers) return;
        await vscode.env.clipboard.writeText(text(services, papers));
        vscode.window.setStatusBarMessage(`$(copy) Copied the ${what}${papers.length > 1 ? `s of ${papers.length} papers` : ` of ${papers[0].key}`}`, 3000);
      }),
    ),
  );
}
