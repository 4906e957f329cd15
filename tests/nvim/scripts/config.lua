-- The resolved digest_ls config, without opening any file.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local config = vim.lsp.config.digest_ls
  return {
    cmd = config.cmd,
    settings = config.settings,
    filetypes = config.filetypes,
    root_markers = config.root_markers,
    enabled = vim.lsp.is_enabled('digest_ls'),
  }
end)
