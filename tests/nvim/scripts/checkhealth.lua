-- :checkhealth digest_ls, after opening `path` and waiting for the client when
-- the test gives one; returns the report's lines.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  if H.params.path then
    H.client(H.open(H.params.path))
  end
  vim.cmd('checkhealth digest_ls')
  local report = vim.api.nvim_get_current_buf()
  return H.wait('the health report', function()
    local lines = vim.api.nvim_buf_get_lines(report, 0, -1, false)
    local text = table.concat(lines, '\n')
    return text:find('digest-ls: clients', 1, true) and lines
  end)
end)
