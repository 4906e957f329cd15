import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeCommand,
  expandVariables,
  resolveServerCommand,
  type LaunchEnvironment,
} from '../src/serverCommand';

/** A fake environment that records what was asked of it. */
function fakeEnvironment(options: {
  onPath?: Record<string, string>;
  interpreters?: string[];
  importable?: string[];
}) {
  const calls: string[] = [];
  const env: LaunchEnvironment = {
    async findExecutable(name) {
      calls.push(`which ${name}`);
      return options.onPath?.[name];
    },
    async pythonInterpreters() {
      calls.push('interpreters');
      return options.interpreters ?? [];
    },
    async canImport(python, module) {
      calls.push(`import ${module} with ${python}`);
      return options.importable?.includes(python) ?? false;
    },
  };
  return { env, calls };
}

const everythingAvailable = {
  onPath: { 'digest-ls': '/usr/local/bin/digest-ls' },
  interpreters: ['/usr/bin/python3'],
  importable: ['/usr/bin/python3', '/opt/venv/bin/python'],
};

describe('resolveServerCommand', () => {
  test('an explicit command wins and nothing is probed', async () => {
    const { env, calls } = fakeEnvironment(everythingAvailable);
    const result = await resolveServerCommand(
      { command: ['uv', 'run', 'digest-ls', 'serve'], pythonPath: '/opt/venv/bin/python' },
      env,
    );
    assert.deepEqual(result, {
      found: true,
      server: { command: 'uv', args: ['run', 'digest-ls', 'serve'], source: 'setting digest-ls.server.command' },
    });
    assert.deepEqual(calls, []);
  });

  test('variables in the explicit command are expanded', async () => {
    const { env } = fakeEnvironment({});
    const result = await resolveServerCommand(
      { command: ['${workspaceFolder}/.venv/bin/digest-ls', 'serve', '--log=~/x'], pythonPath: '' },
      env,
      { workspaceFolder: '/ws', userHome: '/home/me' },
    );
    assert.ok(result.found);
    assert.equal(result.server.command, '/ws/.venv/bin/digest-ls');
    // Only a leading `~` is a home directory.
    assert.deepEqual(result.server.args, ['serve', '--log=~/x']);
  });

  test('an empty or malformed command setting is ignored', async () => {
    for (const command of [[], [''], [42], 'digest-ls serve', null, undefined]) {
      const { env } = fakeEnvironment(everythingAvailable);
      const result = await resolveServerCommand({ command, pythonPath: '' }, env);
      assert.ok(result.found, `command ${JSON.stringify(command)}`);
      assert.equal(result.server.source, 'PATH', `command ${JSON.stringify(command)}`);
    }
  });

  test('pythonPath runs `-m digest_ls serve` before looking on PATH', async () => {
    const { env, calls } = fakeEnvironment(everythingAvailable);
    const result = await resolveServerCommand({ command: [], pythonPath: ' ~/venv/bin/python ' }, env, {
      userHome: '/opt',
    });
    assert.deepEqual(result, {
      found: true,
      server: {
        command: '/opt/venv/bin/python',
        args: ['-m', 'digest_ls', 'serve'],
        source: 'setting digest-ls.server.pythonPath',
      },
    });
    assert.deepEqual(calls, ['import digest_ls with /opt/venv/bin/python']);
  });

  test('a pythonPath without the package is reported, not replaced by another server', async () => {
    const { env, calls } = fakeEnvironment(everythingAvailable);
    const result = await resolveServerCommand({ command: [], pythonPath: '/usr/bin/python2' }, env);
    assert.deepEqual(result, {
      found: false,
      tried: ['/usr/bin/python2 (digest-ls.server.pythonPath): cannot import digest_ls'],
    });
    assert.ok(!calls.includes('which digest-ls'));
  });

  test('digest-ls on PATH comes before any interpreter, which is then not queried', async () => {
    const { env, calls } = fakeEnvironment(everythingAvailable);
    const result = await resolveServerCommand({ command: undefined, pythonPath: undefined }, env);
    assert.deepEqual(result, {
      found: true,
      server: { command: '/usr/local/bin/digest-ls', args: ['serve'], source: 'PATH' },
    });
    assert.deepEqual(calls, ['which digest-ls']);
  });

  test('interpreters are tried in order, skipping duplicates, until one imports digest_ls', async () => {
    const { env, calls } = fakeEnvironment({
      interpreters: ['/ext/python', '', '/ext/python', 'python3', '/other/python'],
      importable: ['python3', '/other/python'],
    });
    const result = await resolveServerCommand({ command: [], pythonPath: '' }, env);
    assert.deepEqual(result, {
      found: true,
      server: { command: 'python3', args: ['-m', 'digest_ls', 'serve'], source: 'Python interpreter' },
    });
    assert.deepEqual(calls, [
      'which digest-ls',
      'interpreters',
      'import digest_ls with /ext/python',
      'import digest_ls with python3',
    ]);
  });

  test('when nothing works, every attempt is listed', async () => {
    const { env } = fakeEnvironment({ interpreters: ['/ext/python', 'python3'] });
    const result = await resolveServerCommand({ command: [], pythonPath: '' }, env);
    assert.deepEqual(result, {
      found: false,
      tried: [
        'digest-ls: not found on PATH',
        '/ext/python: cannot import digest_ls',
        'python3: cannot import digest_ls',
      ],
    });
  });
});

describe('expandVariables', () => {
  const vars = { workspaceFolder: '/ws', userHome: '/home/me' };

  test('expands the supported variables', () => {
    assert.equal(expandVariables('~', vars), '/home/me');
    assert.equal(expandVariables('~/bin/python', vars), '/home/me/bin/python');
    assert.equal(expandVariables('${userHome}/a:${userHome}/b', vars), '/home/me/a:/home/me/b');
    assert.equal(expandVariables('${workspaceFolder}/.venv/bin/python', vars), '/ws/.venv/bin/python');
  });

  test('leaves other text and unknown variables alone', () => {
    assert.equal(expandVariables('~user/python', vars), '~user/python');
    assert.equal(expandVariables('/a~/b', vars), '/a~/b');
    assert.equal(expandVariables('${env:HOME}/python', vars), '${env:HOME}/python');
    assert.equal(expandVariables('${workspaceFolder}/python', {}), '${workspaceFolder}/python');
  });
});

test('describeCommand quotes arguments that contain spaces', () => {
  assert.equal(
    describeCommand({ command: '/Program Files/python', args: ['-m', 'digest_ls', 'serve'], source: 'x' }),
    '"/Program Files/python" -m digest_ls serve',
  );
});
