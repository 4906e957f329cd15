import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { canImport, defaultInterpreters, findExecutable, locateProgram } from './nodeEnvironment';
import { selectedPythonInterpreter } from './pythonExtension';
import { INSTALL_HINT, describeCommand, resolveServerCommand, type ServerCommand } from './serverCommand';
import { SECTION, toServerSettings } from './settings';

const CLIENT_ID = 'digest-ls';
const CLIENT_NAME = 'digest-ls';

let output: vscode.OutputChannel;
let extensionUri: vscode.Uri;
let client: LanguageClient | undefined;
// Starts and stops are chained so that a restart requested while the server is
// still starting cannot leave two servers running.
let lifecycle: Promise<void> = Promise.resolve();

function log(message: string): void {
  output.appendLine(`[${new Date().toLocaleTimeString()}] ${message}`);
}

function enqueue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step).catch((error: unknown) => log(`Unexpected error: ${String(error)}`));
  return lifecycle;
}

function workspaceFolderPath(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function findServer(): Promise<ServerCommand | undefined> {
  const serverConfig = vscode.workspace.getConfiguration(`${SECTION}.server`);
  const resolution = await resolveServerCommand(
    { command: serverConfig.get('command'), pythonPath: serverConfig.get('pythonPath') },
    {
      findExecutable: (name) => findExecutable(name),
      pythonInterpreters: async () => {
        const selected = await selectedPythonInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri);
        return [...(selected ? [selected] : []), ...defaultInterpreters()];
      },
      canImport: (python, module) => canImport(python, module),
    },
    { workspaceFolder: workspaceFolderPath(), userHome: os.homedir() },
  );
  if (!resolution.found) {
    reportServerNotFound(resolution.tried);
    return undefined;
  }
  const { server } = resolution;
  // A configured command that names a missing program would only fail inside
  // the language client ("spawn ENOENT", shown as "could not start" and
  // "couldn't create connection"), which hides that the server is not there.
  if (!(await locateProgram(server.command, { cwd: workspaceFolderPath() }))) {
    reportServerNotFound([`${server.command} (${server.source}): no such executable`], server);
    return undefined;
  }
  return server;
}

function reportServerNotFound(tried: string[], missing?: ServerCommand): void {
  log('The digest-ls language server was not found. Tried:');
  for (const attempt of tried) {
    log(`  - ${attempt}`);
  }
  log(INSTALL_HINT);
  const where = missing ? ` (no executable \`${missing.command}\`, from the ${missing.source})` : '';
  void showStartError(`digest-ls: the language server was not found${where}.`);
}

// Not awaited by callers: the promise settles only when the user dismisses the
// message, and the start/stop queue must not wait for that.
async function showStartError(summary: string): Promise<void> {
  const openReadme = 'Open README';
  const showOutput = 'Show output';
  const choice = await vscode.window.showErrorMessage(`${summary} ${INSTALL_HINT}`, openReadme, showOutput);
  if (choice === openReadme) {
    const readme = vscode.Uri.joinPath(extensionUri, 'README.md');
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } else if (choice === showOutput) {
    output.show();
  }
}

function createClient(server: ServerCommand): LanguageClient {
  // No `transport` on purpose: with TransportKind.stdio the client appends
  // `--stdio` to the arguments, and the command is passed exactly as resolved.
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    options: { cwd: workspaceFolderPath() },
  };
  const serverSettings = (scope?: vscode.Uri) => toServerSettings(vscode.workspace.getConfiguration(SECTION, scope));

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    outputChannel: output,
    // A function so that the client's own automatic restarts see current settings.
    initializationOptions: () => serverSettings(),
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        // The default answers would be the raw `digest-ls` section, which also
        // holds the nested client-only `server` and `trace` keys; the server
        // expects exactly the flat object built by toServerSettings.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answers[index],
          );
        },
        didChangeConfiguration: async (sections, next) => {
          if (!sections?.includes(SECTION) || !client) {
            return next(sections);
          }
          await client.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: serverSettings() },
          });
        },
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

async function startServer(): Promise<void> {
  const server = await findServer();
  if (!server) {
    return;
  }
  log(`Starting ${describeCommand(server)} (found via ${server.source})`);
  const candidate = createClient(server);
  client = candidate;
  try {
    await candidate.start();
    log('Server started.');
  } catch (error) {
    client = undefined;
    log(`The server did not start: ${String(error)}`);
    await candidate.dispose().catch(() => undefined);
    void showStartError(`digest-ls: could not start \`${describeCommand(server)}\`.`);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    log('Stopping server.');
    await running.stop().catch((error: unknown) => log(`Error while stopping: ${String(error)}`));
  }
}

function restartServer(): Promise<void> {
  return enqueue(async () => {
    await stopServer();
    await startServer();
  });
}

export function activate(context: vscode.ExtensionContext): void {
  extensionUri = context.extensionUri;
  output = vscode.window.createOutputChannel('digest-ls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('digest-ls.restartServer', () => restartServer()),
    vscode.commands.registerCommand('digest-ls.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Other digest-ls settings reach the running server through `synchronize`;
      // the launch settings only take effect with a new process.
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        log('digest-ls.server settings changed; restarting the server.');
        void restartServer();
      }
    }),
  );
  // Not awaited: probing interpreters can take seconds and must not hold up activation.
  void enqueue(startServer);
}

export function deactivate(): Promise<void> {
  return enqueue(stopServer);
}
