-- Minimal user config for the end-to-end tests: what a user writes to use the
-- plugin from editors/nvim, plus the command that starts the server from this
-- checkout instead of an installed `digest-ls`.
--
-- Environment (set by tests/nvim/nvim_harness.py):
--   DIGEST_LS_PLUGIN_DIR  editors/nvim
--   DIGEST_LS_PYTHON      the interpreter that runs the server (`-m digest_ls serve`)
--   PYTHONPATH, DIGEST_LS_CACHE_DIR are inherited by the server process.
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.lsp.log.set_level(vim.log.levels.WARN)

vim.lsp.config('digest_ls', {
  cmd = { vim.env.DIGEST_LS_PYTHON, '-m', 'digest_ls', 'serve' },
})
vim.lsp.enable('digest_ls')
