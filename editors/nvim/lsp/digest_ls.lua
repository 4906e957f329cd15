-- digest-ls: the language server for arXiv digest Markdown files.
--
-- This file is the config that Neovim 0.11+ merges into `vim.lsp.config.digest_ls`
-- (any `lsp/<name>.lua` on 'runtimepath' is picked up that way). Override any field
-- with `vim.lsp.config('digest_ls', { ... })` and start it with
-- `vim.lsp.enable('digest_ls')`, or call `require('digest_ls').setup(opts)`.
---@type vim.lsp.Config
return {
  cmd = { 'digest-ls', 'serve' },
  filetypes = { 'markdown' },
  root_markers = { '.digest-ls.toml', 'pyproject.toml', '.git' },
  -- Answered to the server's `workspace/configuration` request for section
  -- "digest-ls"; keys are camelCase as in the VS Code extension.
  settings = { ['digest-ls'] = {} },
  -- The "Copy BibTeX/CSL-JSON citation" code actions run this command here, in the editor: the
  -- server answers the text (LSP cannot reach a clipboard) and the editor copies it.
  commands = {
    ['digest-ls.citation'] = function(command, ctx)
      local client = assert(vim.lsp.get_client_by_id(ctx.client_id))
      require('digest_ls').request_citation(client, (command.arguments or {})[1] or {}, ctx.bufnr)
    end,
  },
}
