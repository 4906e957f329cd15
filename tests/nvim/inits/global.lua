-- A user config that opts in through the global variable, before plugins load.
vim.g.digest_ls_enable = { python = vim.env.DIGEST_LS_PYTHON }
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
