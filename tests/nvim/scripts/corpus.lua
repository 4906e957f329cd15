-- A real digest: its first diagnostic report and its outline, as the editor has them.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  H.wait_for_report(buf)
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local outline = {}
  for _, symbol in ipairs(H.request(client, 'textDocument/documentSymbol', params, buf) or {}) do
    table.insert(outline, { name = symbol.name, children = #(symbol.children or {}) })
  end
  return {
    diagnostics = H.diagnostics(buf),
    outline = outline,
    line_count = vim.api.nvim_buf_line_count(buf),
  }
end)
