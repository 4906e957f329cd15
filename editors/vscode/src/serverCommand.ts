// Decides how to start the digest-ls server. Kept free of the `vscode` module
// (the environment is passed in) so it can be unit-tested under plain Node.

export const PYTHON_MODULE = 'digest_ls';
export const SERVER_EXECUTABLE = 'digest-ls';

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the output channel. */
  source: string;
}

export type Resolution =
  | { found: true; server: ServerCommand }
  | { found: false; tried: string[] };

/** The raw `digest-ls.server.*` settings, unvalidated. */
export interface ServerLaunchSettings {
  command: unknown;
  pythonPath: unknown;
}

export interface LaunchEnvironment {
  findExecutable(name: string): Promise<string | undefined>;
  /**
   * Interpreters to try, best first. Only called once the cheaper options have
   * failed, because asking the Python extension may activate it.
   */
  pythonInterpreters(): Promise<string[]>;
  canImport(python: string, module: string): Promise<boolean>;
}

export interface PathVariables {
  workspaceFolder?: string;
  userHome?: string;
}

/** Expands `${workspaceFolder}`, `${userHome}` and a leading `~`, as users write them in settings. */
export function expandVariables(value: string, vars: PathVariables): string {
  let result = value;
  if (vars.userHome !== undefined) {
    result = result.replace(/^~(?=$|[\\/])/, vars.userHome);
    result = result.split('${userHome}').join(vars.userHome);
  }
  if (vars.workspaceFolder !== undefined) {
    result = result.split('${workspaceFolder}').join(vars.workspaceFolder);
  }
  return result;
}

function explicitCommand(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  if (!value.every((part) => typeof part === 'string') || value[0].trim() === '') {
    return undefined;
  }
  return value as string[];
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function pythonServer(python: string, source: string): ServerCommand {
  return { command: python, args: ['-m', PYTHON_MODULE, 'serve'], source };
}

/**
 * Resolution order: `server.command` > `server.pythonPath` > `digest-ls` on PATH
 * > the first interpreter that can import `digest_ls`.
 */
export async function resolveServerCommand(
  settings: ServerLaunchSettings,
  env: LaunchEnvironment,
  vars: PathVariables = {},
): Promise<Resolution> {
  const command = explicitCommand(settings.command);
  if (command) {
    const [program, ...args] = command.map((part) => expandVariables(part, vars));
    return { found: true, server: { command: program, args, source: 'setting digest-ls.server.command' } };
  }

  const pythonPath = nonEmptyString(settings.pythonPath);
  if (pythonPath) {
    const python = expandVariables(pythonPath, vars);
    // An explicit interpreter is never silently replaced by another one: if it
    // lacks the package, say so rather than starting something else.
    if (await env.canImport(python, PYTHON_MODULE)) {
      return { found: true, server: pythonServer(python, 'setting digest-ls.server.pythonPath') };
    }
    return { found: false, tried: [`${python} (digest-ls.server.pythonPath): cannot import ${PYTHON_MODULE}`] };
  }

  const tried: string[] = [];
  const onPath = await env.findExecutable(SERVER_EXECUTABLE);
  if (onPath) {
    return { found: true, server: { command: onPath, args: ['serve'], source: 'PATH' } };
  }
  tried.push(`${SERVER_EXECUTABLE}: not found on PATH`);

  const seen = new Set<string>();
  for (const python of await env.pythonInterpreters()) {
    if (python === '' || seen.has(python)) {
      continue;
    }
    seen.add(python);
    if (await env.canImport(python, PYTHON_MODULE)) {
      return { found: true, server: pythonServer(python, 'Python interpreter') };
    }
    tried.push(`${python}: cannot import ${PYTHON_MODULE}`);
  }
  return { found: false, tried };
}

export const INSTALL_HINT =
  'Install it with `pip install digest-ls` (or `pip install -e <path to the digest-ls repository>` from a checkout), ' +
  'or point the setting digest-ls.server.command or digest-ls.server.pythonPath at an existing installation.';

export function describeCommand(server: ServerCommand): string {
  return [server.command, ...server.args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
}
