import * as vscode from 'vscode';
import { openLiteratureNote } from '../notes/literatureNotes';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePaper, type PaperArg } from './paperArgs';

export function registerNoteCommands(services: Workbench): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'litnotes.openNote',
      guarded(services.log, 'open the literature note', async (arg?: PaperArg) => {
        const paper = await resolvePaper(services, arg, 'Open Literature Note');
        if (paper) await openLiteratureNote(paper, services);
      }),
    ),
  ];
}
