import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { canImport, defaultInterpreters, findExecutable } from '../src/nodeEnvironment';

const root = mkdtempSync(path.join(tmpdir(), 'digest-ls-vscode-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

function makeFile(relative: string, content: string, mode: number): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const posixOnly = { skip: process.platform === 'win32' ? 'needs POSIX permissions and shell scripts' : false };

describe('findExecutable', posixOnly, () => {
  const notExecutable = makeFile('a/digest-ls', 'not a program', 0o644);
  mkdirSync(path.join(root, 'b/digest-ls'), { recursive: true });
  const executable = makeFile('c/digest-ls', '#!/bin/sh\n', 0o755);
  const pathVariable = ['', path.dirname(notExecutable), path.join(root, 'b'), path.dirname(executable)].join(':');

  test('returns the first executable file, skipping plain files and directories', async () => {
    assert.equal(await findExecutable('digest-ls', { pathVariable, platform: 'linux' }), executable);
  });

  test('returns undefined when the name is nowhere on PATH', async () => {
    assert.equal(await findExecutable('no-such-program', { pathVariable, platform: 'linux' }), undefined);
    assert.equal(await findExecutable('digest-ls', { pathVariable: '', platform: 'linux' }), undefined);
  });

  test('on Windows, tries the PATHEXT extensions and ignores the execute bit', async () => {
    const script = makeFile('win/tool.CMD', '@echo off\n', 0o644);
    const found = await findExecutable('tool', {
      pathVariable: `${path.join(root, 'missing')};${path.dirname(script)}`,
      platform: 'win32',
      pathExt: '.EXE;.CMD',
    });
    assert.equal(found, script);
  });
});

describe('canImport', posixOnly, () => {
  // Stand-in interpreters: they succeed only for the exact `-c "import digest_ls"` call.
  const works = makeFile('py/works', '#!/bin/sh\n[ "$1" = "-c" ] && [ "$2" = "import digest_ls" ]\n', 0o755);
  const lacksModule = makeFile('py/lacks', '#!/bin/sh\necho "No module named digest_ls" >&2\nexit 1\n', 0o755);
  const hangs = makeFile('py/hangs', '#!/bin/sh\nexec sleep 5\n', 0o755);

  test('is true when the interpreter exits with status 0', async () => {
    assert.equal(await canImport(works, 'digest_ls'), true);
    assert.equal(await canImport(works, 'other_module'), false);
  });

  test('is false when the import fails, the interpreter is missing, or it hangs', async () => {
    assert.equal(await canImport(lacksModule, 'digest_ls'), false);
    assert.equal(await canImport(path.join(root, 'py/missing'), 'digest_ls'), false);
    assert.equal(await canImport(hangs, 'digest_ls', 200), false);
  });
});

test('defaultInterpreters prefers python3, and also tries python on Windows', () => {
  assert.deepEqual(defaultInterpreters('linux'), ['python3']);
  assert.deepEqual(defaultInterpreters('darwin'), ['python3']);
  assert.deepEqual(defaultInterpreters('win32'), ['python', 'python3']);
});
