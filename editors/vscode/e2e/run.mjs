#!/usr/bin/env node
// End-to-end test of the digest-ls extension in a real VS Code: code-server
// (the VS Code workbench and extension host, served to a browser) driven by
// Debian's Chromium through puppeteer-core. Every check reads what a user
// sees from the page's DOM, and a screenshot of each step is kept.
//
// Usage (after setup.sh has filled the cache):
//   node run.mjs --server /path/to/venv/bin/digest-ls [--artifacts DIR] [--cache DIR]
// Exits 0 when every step passed, 1 otherwise; results.json, the screenshots,
// code-server's logs and the extension's output channel are written to the
// artefacts folder. DIGEST_LS_E2E_KEEP=1 keeps the temporary sessions' folder.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
const EXTENSION_DIR = path.dirname(E2E_DIR);
const REPO_ROOT = path.resolve(EXTENSION_DIR, '..', '..');
const FIXTURES = path.join(REPO_ROOT, 'fixtures');

const { values: cli } = parseArgs({
  options: {
    server: { type: 'string' },
    cache: {
      type: 'string',
      default:
        process.env.DIGEST_LS_E2E_CACHE ??
        path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'digest-ls-e2e'),
    },
    artifacts: { type: 'string', default: path.join(REPO_ROOT, 'tests', 'vscode', 'artifacts') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!cli.server) {
  console.error('run.mjs: --server /path/to/digest-ls is required (the extension host does not inherit PATH)');
  process.exit(2);
}
const SERVER = path.resolve(cli.server);
const CACHE = path.resolve(cli.cache);
const ARTIFACTS = path.resolve(cli.artifacts);
const CODE_SERVER = path.join(CACHE, 'cs', 'node_modules', '.bin', 'code-server');
const NODE24_DIR = path.join(CACHE, 'bin');
// puppeteer-core lives in the cache, not beside this script.
const puppeteer = createRequire(path.join(CACHE, 'cs', 'package.json'))('puppeteer-core');

// Waits on the language server (start, indexing, first lint) get this long;
// the workbench's first load gets more.
const SERVER_TIMEOUT_MS = 60_000;
const WORKBENCH_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 15_000;
// After a keystroke the workbench needs a moment to move focus or open a
// widget before the next key makes sense; waits for results are DOM conditions.
const KEY_SETTLE_MS = 150;
const POLL_MS = 200;

const BROKEN_DIGEST = '2026-01-06-hand-edited.md';
// Author completion must come from the workspace index: this name occurs only
// in 2025-01-06.md, which is never opened.
const AUTHOR_TYPED = 'Ingrid Hol';
const AUTHOR_OFFERED = 'Ingrid Holmqvist';
const NONEXISTENT_SERVER = '/nonexistent/digest-ls';
// A server-only rule (it needs the whole workspace): the same paper in two digests.
const WORKSPACE_DUPLICATE_CODE = 'D401';

// ---------------------------------------------------------------- processes

// Process groups still to be killed: code-server and Chromium each lead one,
// so their helpers and the language server go with them.
const liveGroups = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pid, graceMs = 10_000) {
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) {
    await delay(100);
  }
  killGroup(pid, 'SIGKILL');
  // Bounded: where nothing reaps orphans, their zombies keep the group "alive"
  // (zombies hold nothing; live leftovers are looked for separately).
  const killDeadline = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < killDeadline) {
    await delay(50);
  }
  liveGroups.delete(pid);
}

// The sessions' temporary folder, removed at the end unless DIGEST_LS_E2E_KEEP is set.
let temporaryRoot;

// Whatever way the driver ends, nothing it started outlives it.
process.on('exit', () => {
  for (const pid of liveGroups) {
    killGroup(pid, 'SIGKILL');
  }
  if (temporaryRoot && !process.env.DIGEST_LS_E2E_KEEP) {
    fs.rmSync(temporaryRoot, { recursive: true, force: true });
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => process.exit(128 + os.constants.signals[signal]));
}

/** Processes whose command line or working folder lies under `root` (a session's private folder). */
function processesUnder(root) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
      continue;
    }
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(root) || cwd === root || cwd.startsWith(root + path.sep)) {
        found.push(`${entry}: ${cmdline.trim()}`);
      }
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return found;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** PATH for the editor: Node 24 first, and no folder that holds a `digest-ls`, so only the setting can find the server. */
function editorPath() {
  const folders = (process.env.PATH ?? '').split(':').filter((dir) => dir && !fs.existsSync(path.join(dir, 'digest-ls')));
  return [NODE24_DIR, ...folders].join(':');
}

// ---------------------------------------------------------------- set-up

// Same meaning as in setup.sh: the test is skipped, not failed, when a download is impossible.
const EXIT_CANNOT_DOWNLOAD = 75;

function buildVsix(outDir) {
  const env = { ...process.env, PATH: `${NODE24_DIR}:${process.env.PATH}` };
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'node_modules', '.bin', 'vsce'))) {
    console.log('e2e: npm ci in editors/vscode (the packaging tools)');
    try {
      run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: EXTENSION_DIR, env });
    } catch (error) {
      if (spawnSync('npm', ['ping'], { cwd: EXTENSION_DIR, env }).status !== 0) {
        console.error('e2e: cannot download: the npm registry is not reachable (npm ci in editors/vscode)');
        process.exit(EXIT_CANNOT_DOWNLOAD);
      }
      throw error;
    }
  }
  const vsix = path.join(outDir, 'digest-ls.vsix');
  run('npm', ['run', 'package', '--', '--out', vsix], { cwd: EXTENSION_DIR, env });
  return vsix;
}

function makeWorkspace(root) {
  const workspace = path.join(root, 'digests');
  fs.mkdirSync(workspace, { recursive: true });
  for (const name of fs.readdirSync(path.join(FIXTURES, 'digests'))) {
    if (name.endsWith('.md')) {
      fs.copyFileSync(path.join(FIXTURES, 'digests', name), path.join(workspace, name));
    }
  }
  // A clean digest whose authors feed the completion, from the Neovim fixtures.
  fs.copyFileSync(path.join(FIXTURES, 'nvim', '2025-01-06.md'), path.join(workspace, '2025-01-06.md'));
  return workspace;
}

/** What `digest-ls check` reports for one file: the expectations the editor must match. */
function checkReport(file) {
  const out = run(SERVER, ['check', '--format', 'json', '--no-cache', '--exit-zero', file], { cwd: path.dirname(file) });
  return JSON.parse(out);
}

class CodeServer {
  constructor(name, root, { workspace, extensionsDir, settings }) {
    this.name = name;
    this.root = root;
    this.workspace = workspace;
    this.extensionsDir = extensionsDir;
    this.userDataDir = path.join(root, `user-data-${name}`);
    fs.mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    this.logFile = path.join(ARTIFACTS, `code-server-${name}.log`);
  }

  async start() {
    const log = fs.openSync(this.logFile, 'w');
    this.logFd = log;
    this.process = spawn(
      CODE_SERVER,
      [
        '--auth', 'none',
        // Port 0: the system picks a free one, read back from the log line below.
        '--bind-addr', '127.0.0.1:0',
        '--config', path.join(this.root, `code-server-${this.name}.yaml`),
        '--user-data-dir', this.userDataDir,
        '--extensions-dir', this.extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        this.workspace,
      ],
      {
        cwd: this.root,
        detached: true, // its own process group, killed as one
        stdio: ['ignore', 'pipe', log],
        env: {
          ...process.env,
          PATH: editorPath(),
          // VS Code puts its IPC sockets in the temporary folder: inside the
          // session's folder they go away with it.
          TMPDIR: this.root,
          // No extension marketplace: any request for one goes to a closed loopback port.
          EXTENSIONS_GALLERY: JSON.stringify({
            serviceUrl: 'http://127.0.0.1:9/gallery',
            itemUrl: 'http://127.0.0.1:9/item',
          }),
        },
      },
    );
    liveGroups.add(this.process.pid);
    let output = '';
    const listening = new Promise((resolve, reject) => {
      this.process.stdout.on('data', (chunk) => {
        fs.appendFileSync(log, chunk);
        output += chunk;
        const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          resolve(match[1]);
        }
      });
      this.process.on('exit', (code) => reject(new Error(`code-server exited with ${code}; see ${this.logFile}`)));
    });
    this.url = await withTimeout(listening, WORKBENCH_TIMEOUT_MS, 'code-server to listen');
    return this.url;
  }

  async stop() {
    if (this.process) {
      await stopGroup(this.process.pid);
      this.process.stdout.removeAllListeners('data');
      fs.closeSync(this.logFd);
    }
    this.keepExtensionLog();
  }

  /** The extension's "digest-ls" output channel, which VS Code writes under the user data folder: what to read when a step fails. */
  keepExtensionLog() {
    const logs = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(logs)) {
      return;
    }
    const channels = fs
      .readdirSync(logs, { recursive: true })
      .filter((file) => path.basename(file).endsWith('-digest-ls.log'));
    for (const [index, file] of channels.entries()) {
      const suffix = channels.length > 1 ? `-${index + 1}` : '';
      fs.copyFileSync(path.join(logs, file), path.join(ARTIFACTS, `digest-ls-output-${this.name}${suffix}.log`));
    }
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- reading the page

// Each of these runs inside the workbench page (page.evaluate), so each is self-contained.
const inPage = {
  quickInputOpen: () => {
    const widget = document.querySelector('.quick-input-widget');
    return widget !== null && widget.style.display !== 'none';
  },
  quickInputRows: () =>
    [...document.querySelectorAll('.quick-input-list .monaco-list-row')].map(
      (row) => row.getAttribute('aria-label') ?? row.textContent,
    ),
  activeEditor: () => ({
    tab: document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '',
    lines: document.querySelectorAll('.editor-instance .monaco-editor .view-line').length,
  }),
  cursor: () => document.querySelector('[id="status.editor.selection"]')?.textContent ?? '',
  // Only the lines on screen exist in the DOM; VS Code renders spaces as non-breaking ones.
  editorLines: () =>
    [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => line.textContent.replace(/\u00a0/g, ' ')),
  problems: () => {
    const text = (row, selector) => row.querySelector(selector)?.textContent.trim() ?? '';
    return [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((row) => ({
      level: Number(row.getAttribute('aria-level')),
      label: row.getAttribute('aria-label') ?? '',
      message: text(row, '.marker-message'),
      source: text(row, '.marker-source'),
      code: text(row, '.marker-code'),
      place: text(row, '.marker-line'),
    }));
  },
  outline: () =>
    [...document.querySelectorAll('.outline-pane .monaco-list-row')].map((row) => ({
      level: Number(row.getAttribute('aria-level')),
      name: row.querySelector('.label-name')?.textContent.trim() ?? row.textContent.trim(),
      description: row.querySelector('.label-description')?.textContent.trim() ?? '',
    })),
  hover: () =>
    [...document.querySelectorAll('.monaco-hover-content')]
      .map((node) => node.textContent)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim(),
  suggestions: () =>
    [...document.querySelectorAll('.suggest-widget.visible .monaco-list-row')].map(
      (row) => row.getAttribute('aria-label') ?? row.textContent,
    ),
  codeActions: () => [...document.querySelectorAll('.action-widget .monaco-list-row')].map((row) => row.textContent.trim()),
  notifications: () =>
    [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].map((node) => node.textContent),
  explorerFolderExpanded: () =>
    document.querySelector('.pane-header[aria-label^="Explorer Section"]')?.getAttribute('aria-expanded') === 'true',
};

function brief(value) {
  const text = JSON.stringify(value);
  return text.length > 3000 ? `${text.slice(0, 3000)}...` : text;
}

// ---------------------------------------------------------------- the workbench

/** The VS Code window in the browser page, operated through keys and read through the DOM. */
class Workbench {
  constructor(page) {
    this.page = page;
  }

  /**
   * Reads the page with `read` (one of inPage) until `accept` holds for what
   * it returns, and returns that. A timeout says what was seen last.
   */
  async until(description, read, accept = Boolean, timeout = UI_TIMEOUT_MS) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const seen = await this.page.evaluate(read);
      if (accept(seen)) {
        return seen;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout / 1000} s waiting for ${description}; last seen: ${brief(seen)}`);
      }
      await delay(POLL_MS);
    }
  }

  async load(url, workspace) {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
    await this.page.waitForSelector('.monaco-workbench .explorer-folders-view .monaco-list-row', {
      timeout: WORKBENCH_TIMEOUT_MS,
    });
  }

  async press(key, modifiers = []) {
    for (const modifier of modifiers) {
      await this.page.keyboard.down(modifier);
    }
    await this.page.keyboard.press(key);
    for (const modifier of [...modifiers].reverse()) {
      await this.page.keyboard.up(modifier);
    }
    await delay(KEY_SETTLE_MS);
  }

  async type(text) {
    await this.page.keyboard.type(text, { delay: 20 });
    await delay(KEY_SETTLE_MS);
  }

  async dismissWidgets() {
    await this.press('Escape');
    await this.press('Escape');
  }

  /** Types into the quick input (already opening) and accepts the row whose label contains `rowText`, or the input as typed. */
  async pickInQuickInput(text, rowText) {
    await this.until('the quick input', inPage.quickInputOpen);
    await this.type(text);
    if (rowText !== undefined) {
      await this.until(`a quick input row "${rowText}"`, inPage.quickInputRows, (rows) =>
        rows.some((row) => row.includes(rowText)),
      );
    }
    await this.press('Enter');
    await this.until('the quick input to close', inPage.quickInputOpen, (open) => !open);
  }

  async command(label) {
    await this.press('F1');
    await this.pickInQuickInput(label, label);
  }

  async openFile(name) {
    await this.press('p', ['Control']);
    await this.pickInQuickInput(name, name);
    await this.until(`an editor on ${name}`, inPage.activeEditor, ({ tab, lines }) => tab.includes(name) && lines > 0);
  }

  /** Moves the cursor with Go to Line (1-based line and column, as `digest-ls check` prints them). */
  async goTo(line, column) {
    await this.command('View: Focus Active Editor Group');
    await this.press('g', ['Control']);
    await this.pickInQuickInput(`${line}:${column}`);
    await this.until(`the cursor at ${line}:${column}`, inPage.cursor, (cursor) =>
      cursor.includes(`Ln ${line}, Col ${column}`),
    );
  }

  async waitForLine(description, text, timeout = UI_TIMEOUT_MS) {
    const lines = await this.until(description, inPage.editorLines, (lines) => lines.some((line) => line.includes(text)), timeout);
    return lines.find((line) => line.includes(text));
  }

  async screenshot(name) {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

// ---------------------------------------------------------------- the steps

const results = [];

/**
 * Runs one check, records its outcome and keeps a screenshot of the window at
 * its end; `cleanUp` then undoes what the check changed in the window.
 */
async function step(name, workbench, body, cleanUp = async () => undefined) {
  const started = Date.now();
  const prefix = `${String(results.length + 1).padStart(2, '0')}-${name}`;
  // A step may keep pictures of its intermediate states too (e.g. a menu before it is picked).
  const shot = (suffix) => workbench.screenshot(`${prefix}-${suffix}`);
  let ok = true;
  let detail;
  try {
    detail = await body(shot);
  } catch (error) {
    ok = false;
    detail = error instanceof Error ? error.message : String(error);
  }
  let screenshot;
  try {
    screenshot = await workbench.screenshot(ok ? prefix : `${prefix}-FAILED`);
  } catch (error) {
    screenshot = `(no screenshot: ${error.message})`;
  }
  await workbench.dismissWidgets().catch(() => undefined);
  try {
    await cleanUp();
  } catch (error) {
    ok = false;
    detail = `${detail}; then, cleaning up: ${error instanceof Error ? error.message : String(error)}`;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok, detail, screenshot, seconds });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${seconds} s): ${detail}`);
  return ok;
}

/** The entries of a digest as its headings give them: number, title, arXiv id, 1-based line. */
function entriesOf(lines) {
  const entries = [];
  lines.forEach((line, index) => {
    const heading = /^### \[(\d+)\] \[(.+?)\]\((.+?)\)/.exec(line);
    if (heading) {
      const id = /(\d{4}\.\d{4,5})/.exec(heading[3])?.[1];
      entries.push({ number: heading[1], title: heading[2], id, line: index + 1 });
    }
  });
  return entries;
}

async function checkProblems(workbench, report) {
  // VS Code does not list hints in the Problems panel; everything else must be there with its code.
  const shown = report.filter((finding) => finding.severity !== 'hint');
  const codes = [...new Set(shown.map((finding) => finding.code))].sort();
  await workbench.command('View: Focus Problems (Errors, Warnings, Infos)');
  // Maximised, the panel has room for every row (the list renders only what is on screen).
  await workbench.command('View: Toggle Maximized Panel');
  const rows = await workbench.until(
    `Problems rows with ${codes.join(', ')}`,
    inPage.problems,
    (rows) => codes.every((code) => rows.some((row) => row.source === 'digest-ls' && row.code === code)),
    SERVER_TIMEOUT_MS,
  );
  const fileRow = rows.findIndex((row) => row.level === 1 && row.label.includes(BROKEN_DIGEST));
  if (fileRow < 0) {
    throw new Error(`no Problems group for ${BROKEN_DIGEST}: ${brief(rows)}`);
  }
  const nextFile = rows.findIndex((row, index) => index > fileRow && row.level === 1);
  const markers = rows.slice(fileRow + 1, nextFile < 0 ? undefined : nextFile).filter((row) => row.level === 2);
  for (const finding of shown) {
    const place = `[Ln ${finding.location.row}, Col ${finding.location.column}]`;
    const match = markers.find((row) => row.code === finding.code && row.place === place);
    if (!match || match.message !== finding.message) {
      throw new Error(`no Problems row "${finding.message}" ${finding.code} ${place}; rows: ${brief(markers)}`);
    }
  }
  // Beyond what `digest-ls check` says about the file alone, the editor may add
  // only the workspace-wide notes that a paper is also listed in another digest.
  const unexpected = markers.filter(
    (row) => row.code !== WORKSPACE_DUPLICATE_CODE && !shown.some((finding) => finding.code === row.code),
  );
  if (unexpected.length > 0) {
    throw new Error(`unexpected Problems rows: ${brief(unexpected)}`);
  }
  const notes = markers.length - shown.length;
  return (
    `${shown.length} rows under ${BROKEN_DIGEST} match digest-ls check by code, message, line and column (${codes.join(', ')})` +
    (notes > 0 ? `, plus ${notes} ${WORKSPACE_DUPLICATE_CODE} notes on papers also in another digest` : '')
  );
}

/** Puts the panel back to its usual size and hides it, for the steps that need the editor and side bar. */
async function restorePanel(workbench) {
  await workbench.command('View: Toggle Maximized Panel');
  await workbench.command('View: Toggle Panel Visibility');
}

async function checkOutline(workbench, lines) {
  // The outline shares the side bar with the file explorer; folded, the
  // explorer leaves the outline room for every row (only rows on screen exist).
  if (await workbench.page.evaluate(inPage.explorerFolderExpanded)) {
    await workbench.page.click('.pane-header[aria-label^="Explorer Section"]');
    await workbench.until('the folders section to fold', inPage.explorerFolderExpanded, (expanded) => !expanded);
  }
  await workbench.command('Explorer: Focus on Outline View');
  // VS Code's Markdown support adds its own group of headings; the digest-ls
  // group is the one with categories (and their paper counts) and papers
  // (titles without link syntax, arXiv id beside them).
  const entries = entriesOf(lines);
  const categories = [
    { name: 'cs.PL', description: '2 papers' },
    { name: 'cs.DC', description: '3 papers' },
  ];
  const papers = entries.map((entry) => ({ name: `[${entry.number}] ${entry.title}`, description: entry.id }));
  const digestLsGroup = (rows) => {
    const start = rows.findIndex((row) => row.level === 1 && row.name === 'digest-ls');
    if (start < 0) {
      return [];
    }
    const end = rows.findIndex((row, index) => index > start && row.level === 1);
    return rows.slice(start + 1, end < 0 ? undefined : end);
  };
  const has = (group) =>
    categories.every((wanted) => group.some((row) => row.level === 2 && row.name === wanted.name && row.description === wanted.description)) &&
    papers.every((wanted) => group.some((row) => row.level === 3 && row.name === wanted.name && row.description.startsWith(wanted.description)));
  const rows = await workbench.until(
    'a digest-ls outline group with the categories and papers',
    inPage.outline,
    (rows) => has(digestLsGroup(rows)),
    SERVER_TIMEOUT_MS,
  );
  const group = digestLsGroup(rows);
  return (
    `digest-ls outline group lists ${categories.map((c) => `${c.name} (${c.description})`).join(', ')} ` +
    `and under them ${papers.map((p) => `"${p.name}" (${p.description})`).join(', ')}; ${group.length} rows in the group`
  );
}

async function checkHover(workbench, lines) {
  const entry = entriesOf(lines).find((candidate) => candidate.title === 'Quorum Leases Without Clocks');
  const abstractLine = lines.slice(entry.line).find((line) => line.startsWith('Abstract: '));
  const abstractStart = abstractLine.slice('Abstract: '.length).split('. ')[0];
  await workbench.goTo(entry.line, 12); // on the title
  await workbench.command('Show or Focus Hover');
  const text = await workbench.until(
    'a hover with the title and the abstract',
    inPage.hover,
    (hover) => hover.includes(entry.title) && hover.includes(abstractStart),
    SERVER_TIMEOUT_MS,
  );
  return `hover on the heading of [${entry.number}] (line ${entry.line}) shows "${entry.title}" and the abstract ("${abstractStart}..."): ${text.length} characters`;
}

async function checkQuickFix(workbench, report, lines, shot) {
  const fixable = report.find((finding) => finding.code === 'D102' && finding.fix);
  if (!fixable) {
    throw new Error(`digest-ls check reports no fixable D102 for ${BROKEN_DIGEST}`);
  }
  const { row, column } = fixable.location;
  const [edit] = fixable.fix.edits;
  const before = lines[row - 1];
  const after = before.slice(0, edit.location.column - 1) + edit.content + before.slice(edit.end_location.column - 1);
  const title = fixable.fix.message;
  await workbench.goTo(row, column);
  await workbench.press('.', ['Control']); // Quick Fix...
  await workbench.until(`the quick fix menu with "${title}"`, inPage.codeActions, (items) =>
    items.some((item) => item.includes(title)),
  );
  await shot('menu');
  // Pick it with the mouse, as a user would.
  let picked = false;
  for (const item of await workbench.page.$$('.action-widget .monaco-list-row')) {
    if ((await item.evaluate((node) => node.textContent)).includes(title)) {
      await item.click();
      picked = true;
      break;
    }
  }
  if (!picked) {
    throw new Error(`"${title}" vanished from the quick fix menu`);
  }
  const changed = await workbench.waitForLine(`line ${row} to read "${after}"`, after);
  return `"${title}" picked from Ctrl+. on line ${row} turned "${before}" into "${changed}"`;
}

async function checkCompletion(workbench, lines, shot) {
  // On the authors line of entry [1], start typing one more co-author.
  const authorsLine = lines.findIndex((line) => line.startsWith('*Maren Østby,')) + 1;
  const before = lines[authorsLine - 1];
  await workbench.goTo(authorsLine, before.length); // just before the closing `*`
  await workbench.type(`,${AUTHOR_TYPED}`);
  await workbench.press('Space', ['Control']); // Trigger Suggest
  const offered = await workbench.until(
    `a completion offering ${AUTHOR_OFFERED}`,
    inPage.suggestions,
    (rows) => rows.some((row) => row.includes(AUTHOR_OFFERED)),
    SERVER_TIMEOUT_MS,
  );
  await shot('offered');
  await workbench.press('Enter');
  const expected = `${before.slice(0, -1)},${AUTHOR_OFFERED}*`;
  await workbench.waitForLine(`the authors line to read "${expected}"`, expected);
  return `typing "${AUTHOR_TYPED}" on line ${authorsLine} offered ${brief(offered.slice(0, 3))}; accepting it gave "${expected}"`;
}

async function checkServerNotFound(workbench) {
  const messages = await workbench.until(
    'a digest-ls notification',
    inPage.notifications,
    (messages) => messages.some((message) => message.startsWith('digest-ls')),
    SERVER_TIMEOUT_MS,
  );
  const text = messages.find((message) => message.startsWith('digest-ls'));
  if (!text.includes('the language server was not found')) {
    throw new Error(`the notification does not say that the server was not found: "${text}"`);
  }
  // Naming the configured path shows that the setting reached the extension.
  if (!text.includes(NONEXISTENT_SERVER)) {
    throw new Error(`the notification does not name ${NONEXISTENT_SERVER}: "${text}"`);
  }
  if (messages.length !== 1) {
    throw new Error(`more than the one notification: ${brief(messages)}`);
  }
  return `one notification: "${text}"`;
}

// ---------------------------------------------------------------- main

async function withBrowser(body) {
  const browser = await puppeteer.launch({
    executablePath: cli.chromium,
    headless: true,
    defaultViewport: { width: 1600, height: 1200 },
    args: [
      // Chromium refuses to run as root with its sandbox.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      // Only the loopback code-server is ever looked up.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  const pid = browser.process()?.pid;
  if (pid) {
    liveGroups.add(pid);
  }
  try {
    return await body(browser);
  } finally {
    await withTimeout(browser.close(), 10_000, 'Chromium to close').catch(() => undefined);
    if (pid) {
      await stopGroup(pid, 2_000);
    }
  }
}

async function session(name, root, options, body) {
  const server = new CodeServer(name, root, options);
  try {
    const url = await server.start();
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const workbench = new Workbench(page);
      await workbench.load(url, options.workspace);
      await body(workbench);
    });
  } finally {
    await server.stop();
    const leftovers = processesUnder(root);
    if (leftovers.length > 0) {
      for (const line of leftovers) {
        try {
          process.kill(Number(line.split(':')[0]), 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      results.push({ name: `${name}: no process left behind`, ok: false, detail: leftovers.join('\n') });
      console.log(`FAIL ${name}: processes left behind:\n${leftovers.join('\n')}`);
    }
  }
}

// A quiet window with no network wishes. Only values VS Code keeps as they are:
// one it migrates at start-up (e.g. "extensions.autoUpdate": false, rewritten
// to "off") rewrites settings.json while the extension host starts, and the
// extension then at times saw no digest-ls.server.command at all.
const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
};

async function main() {
  const started = Date.now();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Short: socket paths inside it have a length limit (about 100 bytes).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dls-e2e-'));
  temporaryRoot = root;
  try {
    const vsix = buildVsix(root);
    const extensionsDir = path.join(root, 'extensions');
    const workspace = makeWorkspace(root);
    const report = checkReport(path.join(workspace, BROKEN_DIGEST));
    const lines = fs.readFileSync(path.join(workspace, BROKEN_DIGEST), 'utf8').split('\n');

    const installed = run(
      CODE_SERVER,
      ['--user-data-dir', path.join(root, 'user-data-install'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { cwd: root, env: { ...process.env, PATH: editorPath(), TMPDIR: root } },
    );
    console.log(`e2e: ${installed.trim().split('\n').pop()}`);

    await session(
      'with-server',
      root,
      { workspace, extensionsDir, settings: { ...BASE_SETTINGS, 'digest-ls.server.command': [SERVER, 'serve'] } },
      async (workbench) => {
        await workbench.openFile(BROKEN_DIGEST);
        await step(
          'problems',
          workbench,
          () => checkProblems(workbench, report),
          () => restorePanel(workbench),
        );
        await step('outline', workbench, () => checkOutline(workbench, lines));
        await step('hover', workbench, () => checkHover(workbench, lines));
        await step('quick-fix', workbench, (shot) => checkQuickFix(workbench, report, lines, shot));
        await step('completion', workbench, (shot) => checkCompletion(workbench, lines, shot));
      },
    );

    await session(
      'no-server',
      root,
      {
        workspace,
        extensionsDir,
        settings: { ...BASE_SETTINGS, 'digest-ls.server.command': [NONEXISTENT_SERVER, 'serve'] },
      },
      async (workbench) => {
        await workbench.openFile(BROKEN_DIGEST);
        await step('server-not-found', workbench, () => checkServerNotFound(workbench));
      },
    );
  } catch (error) {
    results.push({ name: 'run', ok: false, detail: error instanceof Error ? error.stack : String(error) });
    console.log(`FAIL run: ${error instanceof Error ? error.stack : error}`);
  }
  if (process.env.DIGEST_LS_E2E_KEEP) {
    console.log(`e2e: kept the sessions' folder ${root}`);
  }
  const failed = results.filter((result) => !result.ok);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  fs.writeFileSync(path.join(ARTIFACTS, 'results.json'), JSON.stringify({ seconds, results }, null, 2));
  console.log(`e2e: ${results.length - failed.length} of ${results.length} steps passed in ${seconds} s; screenshots in ${ARTIFACTS}`);
  process.exitCode = failed.length === 0 && results.length > 0 ? 0 : 1;
}

await main();
