-- With the plugin on 'runtimepath' but not enabled, opening a digest starts no
-- client: vim.lsp.enable would have started one synchronously in the FileType
-- autocommand, so checking right after :edit is enough.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  return {
    filetype = vim.bo[buf].filetype,
    clients = #vim.lsp.get_clients(),
    enabled = vim.lsp.is_enabled('digest_ls'),
    config_cmd = vim.lsp.config.digest_ls and vim.lsp.config.digest_ls.cmd,
  }
end)
