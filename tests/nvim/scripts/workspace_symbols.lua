-- workspace/symbol from the editor for each query: names and files of the answers.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  local answers = {}
  for _, query in ipairs(H.params.queries) do
    -- Until the index is ready the server answers nothing: ask again (a reply each time, no sleep).
    local symbols = H.wait('symbols for ' .. query, function()
      local found = H.request(client, 'workspace/symbol', { query = query }, buf)
      return found and #found > 0 and found
    end)
    answers[query] = vim.tbl_map(function(symbol)
      return {
        name = symbol.name,
        kind = vim.lsp.protocol.SymbolKind[symbol.kind],
        file = vim.fs.basename(vim.uri_to_fname(symbol.location.uri)),
      }
    end, symbols)
  end
  return answers
end)
