-- "Copy BibTeX citation" applied as a user does (cursor on an entry, code action
-- with `apply = true`): the citation lands in the unnamed register; then
-- `:%DigestCite csl-json` copies every entry of the file.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

local function register_starting(prefix)
  return H.wait('a citation in the unnamed register', function()
    local text = vim.fn.getreg('"')
    return vim.startswith(text, prefix) and text
  end)
end

H.run(function()
  local buf = H.open(H.params.path)
  H.client(buf)
  vim.fn.setreg('"', '')
  local line = H.find_line(buf, H.params.heading)
  vim.api.nvim_win_set_cursor(0, { line + 2, 0 }) -- the author line of the entry
  local offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(offered, action.title)
      return vim.startswith(action.title, 'Copy BibTeX citation')
    end,
  })
  local bibtex = register_starting('@misc{')
  vim.fn.setreg('"', '')
  vim.cmd('%DigestCite csl-json')
  local csl = register_starting('[')
  return { offered = offered, bibtex = bibtex, csl = csl, notices = H.notices }
end)
