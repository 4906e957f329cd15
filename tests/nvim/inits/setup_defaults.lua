-- A user config that calls setup() twice with settings only: the command is
-- found (or falls back to python3 -m digest_ls) by the plugin itself, and the
-- second call's settings merge with the first's.
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
require('digest_ls').setup({ settings = { ignore = { 'D304' } }, enable = false })
require('digest_ls').setup({ settings = { debounceMs = 100 }, enable = false })
