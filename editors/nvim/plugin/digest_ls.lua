-- digest-ls plugin entry point: does nothing unless the user opts in.
--
-- Opting in is one of:
--   vim.g.digest_ls_enable = true          (before this file runs, e.g. in init.lua)
--   vim.lsp.enable('digest_ls')            (uses lsp/digest_ls.lua from this plugin)
--   require('digest_ls').setup({ ... })    (merges settings, then enables)
-- Markdown is a common filetype; starting a server for every README by default
-- would surprise people, hence the explicit opt-in.
if vim.g.loaded_digest_ls then
  return
end
vim.g.loaded_digest_ls = true

-- Only a command (it starts nothing): copy the citation of the entries of a range of lines.
vim.api.nvim_create_user_command('DigestCite', function(opts)
  require('digest_ls').cite(opts.args ~= '' and opts.args or 'bibtex', opts.line1, opts.line2)
end, {
  range = true,
  nargs = '?',
  complete = function()
    return { 'bibtex', 'csl-json' }
  end,
  desc = 'digest-ls: copy the BibTeX (or CSL-JSON) citation of the entries in the range',
})

if vim.g.digest_ls_enable then
  if vim.fn.has('nvim-0.11') == 0 then
    vim.notify('digest-ls needs Neovim 0.11 or newer', vim.log.levels.WARN)
    return
  end
  local opts = type(vim.g.digest_ls_enable) == 'table' and vim.g.digest_ls_enable or {}
  require('digest_ls').setup(opts)
end
