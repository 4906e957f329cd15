import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SERVER_SETTINGS, SECTION, toServerSettings, type ConfigurationReader } from '../src/settings';

/** Behaves like vscode.workspace.getConfiguration('digest-ls') over the given values. */
function configuration(values: Record<string, unknown>): ConfigurationReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

// The keys the server reads, as agreed with the server side.
const SERVER_KEYS = [
  'select',
  'ignore',
  'severity',
  'extraPlaceholders',
  'requiredFields',
  'allowedCategories',
  'exclude',
  'perPaperIgnores',
  'debounceMs',
  'hoverAbstractLength',
  'completionLimit',
  'outline',
  'indexInclude',
  'indexExclude',
  'metadataFiles',
];
const CLIENT_ONLY_SETTINGS = ['server.command', 'server.pythonPath', 'trace.server'];

// Compiled to out/test/, two levels below the package root.
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributed: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

describe('toServerSettings', () => {
  test('an empty configuration gives the defaults, with exactly the server keys', () => {
    const settings = toServerSettings(configuration({}));
    assert.deepEqual(Object.keys(settings).sort(), [...SERVER_KEYS].sort());
    assert.deepEqual(settings, {
      select: [],
      ignore: [],
      severity: {},
      extraPlaceholders: [],
      requiredFields: ['Motivation', 'Method', 'Result', 'Conclusion', 'Abstract'],
      allowedCategories: [],
      exclude: [],
      perPaperIgnores: {},
      debounceMs: 200,
      hoverAbstractLength: 600,
      completionLimit: 50,
      outline: true,
      indexInclude: ['**/*.md', '**/*.jsonl'],
      indexExclude: [],
      metadataFiles: [],
    });
  });

  test('valid values are passed through unchanged', () => {
    const values = {
      select: ['D1', 'D205'],
      ignore: ['D3'],
      severity: { D205: 'hint', D301: 'off', D1: 'error', D2: 'warning', D4: 'info' },
      extraPlaceholders: ['Summary unavailable'],
      requiredFields: ['Abstract'],
      allowedCategories: ['cs.CL', 'cs.LG'],
      exclude: ['drafts/**'],
      perPaperIgnores: { '2401.01234': ['D301', 'D214'], '2312.00001v2': [] },
      debounceMs: 0,
      hoverAbstractLength: 1200,
      completionLimit: 10,
      outline: false,
      indexInclude: ['digests/**/*.md'],
      indexExclude: ['archive/**'],
      metadataFiles: ['data/papers.jsonl'],
    };
    assert.deepEqual(toServerSettings(configuration(values)), values);
  });

  test('client-only settings and unknown keys are not sent', () => {
    const settings = toServerSettings(
      configuration({
        server: { command: ['digest-ls', 'serve'], pythonPath: '/usr/bin/python3' },
        trace: { server: 'verbose' },
        somethingElse: 1,
      }),
    );
    assert.deepEqual(Object.keys(settings).sort(), [...SERVER_KEYS].sort());
  });

  test('malformed values fall back to the default or drop the bad entries', () => {
    const settings = toServerSettings(
      configuration({
        select: 'D1',
        ignore: ['D3', 7, '', null],
        severity: { D205: 'fatal', D301: 'hint', D1: 2 },
        requiredFields: null,
        perPaperIgnores: { '2401.01234': 'D301', '2401.05678': ['D214', false] },
        debounceMs: -5,
        hoverAbstractLength: 12.5,
        completionLimit: '50',
        outline: 'no',
        indexInclude: {},
      }),
    );
    assert.deepEqual(settings.select, []);
    assert.deepEqual(settings.ignore, ['D3']);
    assert.deepEqual(settings.severity, { D301: 'hint' });
    assert.deepEqual(settings.requiredFields, DEFAULT_SERVER_SETTINGS.requiredFields);
    assert.deepEqual(settings.perPaperIgnores, { '2401.05678': ['D214'] });
    assert.equal(settings.debounceMs, 200);
    assert.equal(settings.hoverAbstractLength, 600);
    assert.equal(settings.completionLimit, 50);
    assert.equal(settings.outline, true);
    assert.deepEqual(settings.indexInclude, ['**/*.md', '**/*.jsonl']);
  });

  test('the result does not share arrays with the defaults', () => {
    const settings = toServerSettings(configuration({}));
    settings.requiredFields.push('Extra');
    settings.indexInclude.length = 0;
    assert.deepEqual(toServerSettings(configuration({})).requiredFields, [
      'Motivation',
      'Method',
      'Result',
      'Conclusion',
      'Abstract',
    ]);
    assert.deepEqual(toServerSettings(configuration({})).indexInclude, ['**/*.md', '**/*.jsonl']);
  });
});

describe('package.json', () => {
  test('contributes one setting per server key plus the client-only ones', () => {
    const expected = [...SERVER_KEYS, ...CLIENT_ONLY_SETTINGS].map((key) => `${SECTION}.${key}`).sort();
    assert.deepEqual(Object.keys(contributed).sort(), expected);
  });

  test('declares the same defaults as the extension uses', () => {
    for (const key of SERVER_KEYS) {
      const declared = contributed[`${SECTION}.${key}`].default;
      assert.deepEqual(declared, DEFAULT_SERVER_SETTINGS[key as keyof typeof DEFAULT_SERVER_SETTINGS], key);
    }
  });

  test('declares both commands and activates on Markdown', () => {
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(commands, ['digest-ls.restartServer', 'digest-ls.showOutput']);
    assert.deepEqual(manifest.activationEvents, ['onLanguage:markdown']);
    assert.equal(manifest.main, './dist/extension.js');
  });
});
