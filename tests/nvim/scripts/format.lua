-- vim.lsp.buf.format (synchronous) with the digest_ls client; returns the text.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  H.client(buf)
  local before = table.concat(H.lines(buf), '\n') .. '\n'
  vim.lsp.buf.format({ bufnr = buf, name = 'digest_ls', async = false, timeout_ms = H.timeout })
  return { before = before, after = table.concat(H.lines(buf), '\n') .. '\n', modified = vim.bo[buf].modified }
end)
