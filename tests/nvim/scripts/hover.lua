-- K on an entry heading: vim.lsp.buf.hover() opens a float; return its text.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

local function floating_window()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      return win
    end
  end
end

H.run(function()
  local buf = H.open(H.params.path)
  local client = H.client(buf)
  if H.params.edit then -- typed in the buffer first (not saved): the card must show it
    local at = H.find_line(buf, H.params.edit.from)
    local text = H.lines(buf)[at + 1]:gsub(vim.pesc(H.params.edit.from), H.params.edit.to, 1)
    vim.api.nvim_buf_set_lines(buf, at, at + 1, false, { text })
  end
  local line = H.find_line(buf, H.params.heading)
  local col = H.lines(buf)[line + 1]:find(H.params.heading, 1, true) - 1
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  if H.params.wait_for then -- what only the workspace index knows: ask until it is built (a reply each time)
    local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
    H.wait('a hover with ' .. H.params.wait_for, function()
      local found = H.request(client, 'textDocument/hover', params, buf)
      return found and found.contents.value:find(H.params.wait_for, 1, true)
    end)
  end
  vim.lsp.buf.hover()
  local win = H.wait('the hover window', floating_window)
  local float_buf = vim.api.nvim_win_get_buf(win)
  return {
    lines = vim.api.nvim_buf_get_lines(float_buf, 0, -1, false),
    filetype = vim.bo[float_buf].filetype,
  }
end)
