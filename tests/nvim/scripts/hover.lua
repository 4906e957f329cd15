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
  H.client(buf)
  local line = H.find_line(buf, H.params.heading)
  local col = H.lines(buf)[line + 1]:find(H.params.heading, 1, true) - 1
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  vim.lsp.buf.hover()
  local win = H.wait('the hover window', floating_window)
  local float_buf = vim.api.nvim_win_get_buf(win)
  return {
    lines = vim.api.nvim_buf_get_lines(float_buf, 0, -1, false),
    filetype = vim.bo[float_buf].filetype,
  }
end)
