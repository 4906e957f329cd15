// Asks the Python extension (ms-python.python), when installed, for the
// interpreter the user selected. Only the few API members used are typed here.

import * as vscode from 'vscode';

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
  resolveEnvironment(
    environment: { path: string } | string,
  ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
}

interface PythonExtensionApi {
  environments?: PythonEnvironmentsApi;
  // Older releases exposed only this.
  settings?: { getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } };
}

export async function selectedPythonInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    if (api.environments) {
      const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
      const executable = environment?.executable.uri?.fsPath;
      if (executable) {
        return executable;
      }
    }
    return api.settings?.getExecutionDetails(resource).execCommand?.[0];
  } catch {
    // A broken or incompatible Python extension must not keep digest-ls from starting.
    return undefined;
  }
}
