-- A user config that calls require('digest_ls').setup(opts) with the settings
-- the test passes in DIGEST_LS_TEST_PARAMS (`settings`).
vim.opt.runtimepath:prepend(vim.env.DIGEST_LS_PLUGIN_DIR)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local params = vim.json.decode(table.concat(vim.fn.readfile(vim.env.DIGEST_LS_TEST_PARAMS), '\n'))
require('digest_ls').setup({
  python = vim.env.DIGEST_LS_PYTHON,
  settings = params.settings,
})
