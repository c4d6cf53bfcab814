/**
 * Tells the user, never silently, that the chosen interpreter cannot run the server, and carries out
 * the button they pick: install in a terminal, copy the install command, open the setting, show the log.
 */

import * as vscode from 'vscode';
import { type InstallAction, installAdvice, type ImportCheck } from './installCheck';

export interface PromptContext {
  output: vscode.OutputChannel;
  restart: () => Promise<void>;
}

export async function promptInstall(check: ImportCheck, interpreter: string[], context: PromptContext): Promise<void> {
  const advice = installAdvice(check, interpreter, process.platform);
  if (advice === null) {
    return;
  }
  context.output.appendLine(advice.message);
  const choice = await vscode.window.showErrorMessage<InstallAction>(advice.message, ...advice.actions);
  switch (choice) {
    case 'Install in Terminal': {
      if (advice.command === null) {
        return;
      }
      const terminal = vscode.window.createTerminal({ name: 'livedag install' });
      terminal.show();
      terminal.sendText(advice.command);
      const next = await vscode.window.showInformationMessage(
        'When the install has finished, restart the livedag language server.',
        'Restart Server',
      );
      if (next === 'Restart Server') {
        await context.restart();
      }
      return;
    }
    case 'Copy Install Command':
      if (advice.command !== null) {
        await vscode.env.clipboard.writeText(advice.command);
        void vscode.window.showInformationMessage(`Copied: ${advice.command}`);
      }
      return;
    case 'Open Settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'livedag.pythonPath');
      return;
    case 'Show Log':
      context.output.show(true);
      return;
    case undefined:
      return;
  }
}
