-- A user config whose server command does not exist: :checkhealth must say so.
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.lsp.config('digest_ls', { cmd = { 'digest-ls-not-installed', 'serve' } })
vim.lsp.enable('digest_ls')
