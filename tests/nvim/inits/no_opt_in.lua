-- The plugin installed but not enabled: opening Markdown must start nothing.
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
