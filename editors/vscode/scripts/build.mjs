// Bundles the extension into dist/extension.js, or with --tests compiles the
// unit tests (and the pure modules they import) into out/test/.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // VS Code 1.85 runs extensions on Node 18.
  target: 'node18',
  logLevel: 'info',
};

if (process.argv.includes('--tests')) {
  rmSync('out', { recursive: true, force: true });
  const tests = readdirSync('test').filter((name) => name.endsWith('.test.ts'));
  await build({
    ...common,
    entryPoints: tests.map((name) => `test/${name}`),
    outdir: 'out/test',
    // `vscode` is deliberately not external: the tested modules must not
    // import it, and if one does this build fails instead of the test run.
    sourcemap: 'inline',
  });
} else {
  await build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: true,
    sourcemap: false,
  });
}
