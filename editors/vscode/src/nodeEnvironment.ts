// The Node side of LaunchEnvironment: searching PATH and probing interpreters.
// No `vscode` import, so it runs under the unit tests too.

import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';

export interface SearchOptions {
  pathVariable?: string;
  platform?: NodeJS.Platform;
  /** Windows only: extensions that make a file executable. */
  pathExt?: string;
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    // Windows has no execute bit; the PATHEXT extension is what counts there.
    if (platform !== 'win32') {
      await fs.access(file, fsConstants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Suffixes tried after a program name: Windows runs `name.EXE` for `name`. */
function executableExtensions(platform: NodeJS.Platform, pathExt?: string): string[] {
  return platform === 'win32'
    ? ['', ...(pathExt ?? process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
    : [''];
}

export async function findExecutable(name: string, options: SearchOptions = {}): Promise<string | undefined> {
  const platform = options.platform ?? process.platform;
  const pathVariable = options.pathVariable ?? process.env.PATH ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  const extensions = executableExtensions(platform, options.pathExt);
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === '') {
      continue;
    }
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (await isExecutableFile(candidate, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * The executable that `command` names, as spawning it would find it: a path
 * (with a separator; relative ones from `cwd`) is checked as it is, a bare
 * name is searched on PATH. Undefined when there is none.
 */
export async function locateProgram(
  command: string,
  options: SearchOptions & { cwd?: string } = {},
): Promise<string | undefined> {
  const platform = options.platform ?? process.platform;
  const separators = platform === 'win32' ? /[\\/]/ : /\//;
  if (!separators.test(command)) {
    return findExecutable(command, options);
  }
  const file = path.resolve(options.cwd ?? process.cwd(), command);
  for (const extension of executableExtensions(platform, options.pathExt)) {
    if (await isExecutableFile(file + extension, platform)) {
      return file + extension;
    }
  }
  return undefined;
}

const IMPORT_TIMEOUT_MS = 15_000;

/** True when `python -c "import <module>"` exits with status 0. */
export function canImport(python: string, module: string, timeoutMs = IMPORT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', `import ${module}`], { timeout: timeoutMs, windowsHide: true }, (error) => resolve(!error));
  });
}

/** `python3` everywhere, plus `python` on Windows where `python3` is often a store stub. */
export function defaultInterpreters(platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'win32' ? ['python', 'python3'] : ['python3'];
}
