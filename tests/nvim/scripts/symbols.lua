-- textDocument/documentSymbol from the editor: the outline tree, trimmed to
-- name, kind, first line and children.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

local function trim(symbols)
  local nodes = {}
  for _, symbol in ipairs(symbols or {}) do
    table.insert(nodes, {
      name = symbol.name,
      kind = vim.lsp.protocol.SymbolKind[symbol.kind],
      line = symbol.range.start.line,
      selection_line = symbol.selectionRange.start.line,
      children = trim(symbol.children),
    })
  end
  return nodes
end

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  return trim(H.request(client, 'textDocument/documentSymbol', params, buf))
end)
