-- Type part of an author's name into an author line, ask for completion at the
-- cursor until the workspace index offers the wanted name (the index is built
-- in the background), then accept that item and return the resulting line.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

--- Ask for completion until an item labelled `wanted` comes back; polls the
--- reply, it does not sleep.
local function completion_item(client, buf, params, wanted)
  local pending, items = false, nil
  return H.wait('completion item ' .. wanted, function()
    if not pending then
      pending = true
      client:request('textDocument/completion', params, function(err, result)
        pending = false
        if not err and result then
          items = result.items or result
        end
      end, buf)
    end
    for _, item in ipairs(items or {}) do
      if item.label == wanted then
        return item
      end
    end
  end)
end

local function labels(client, buf, params)
  local result = H.request(client, 'textDocument/completion', params, buf) or {}
  return vim.tbl_map(function(item)
    return item.label
  end, result.items or result)
end

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  local results = {}
  for _, case in ipairs(H.params.cases) do
    local line = H.find_line(buf, case.replace)
    local text = H.lines(buf)[line + 1]
    local typed = text:gsub(vim.pesc(case.replace), case.typed, 1)
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { typed })
    -- The cursor goes right after what was typed, before the closing `*`.
    local col = typed:find(case.typed, 1, true) + #case.typed - 1
    local params = H.position_params(client, buf, line, col)
    local item = completion_item(client, buf, params, case.wanted)
    local offered = labels(client, buf, params)
    local edit = item.textEdit
    if edit and not edit.range then
      edit = { range = edit.replace, newText = edit.newText } -- InsertReplaceEdit
    end
    vim.lsp.util.apply_text_edits({ edit }, buf, client.offset_encoding)
    table.insert(results, {
      offered = offered,
      kind = vim.lsp.protocol.CompletionItemKind[item.kind],
      line = H.lines(buf)[line + 1],
    })
  end
  return results
end)
