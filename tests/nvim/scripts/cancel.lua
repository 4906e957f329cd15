-- Cancel a request the server has already answered (as Neovim does when the cursor
-- moves on), then one more request so that the cancel has been read when this ends.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local answered = false
  local _, id = client:request('textDocument/documentSymbol', params, function()
    answered = true
  end, buf)
  H.wait('the answer', function()
    return answered
  end)
  client:cancel_request(id)
  H.request(client, 'textDocument/foldingRange', params, buf)
  return { cancelled = id }
end)
