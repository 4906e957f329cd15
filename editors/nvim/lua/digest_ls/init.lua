--- digest-ls for Neovim: `setup(opts)` merges user options into the native LSP
--- config (`vim.lsp.config`, seeded by lsp/digest_ls.lua) and enables it, and the
--- small command-line helpers that `:checkhealth digest_ls` shares, and `fix_all()`.
local M = {}

--- The name under which the config lives: `vim.lsp.config.digest_ls`.
M.name = 'digest_ls'

--- The settings section the server asks for in `workspace/configuration`.
M.section = 'digest-ls'

---@class digest_ls.Opts: vim.lsp.Config
---@field settings? table<string, any> camelCase keys (select, ignore, severity, ...), sent as the "digest-ls" section
---@field python? string start `<python> -m digest_ls serve` instead of `digest-ls serve`
---@field enable? boolean enable the server for Markdown buffers (default true)

--- The command that starts the server through a Python interpreter.
---@param python string
---@return string[]
function M.python_cmd(python)
  return { python, '-m', 'digest_ls', 'serve' }
end

--- The command for a first start when the user named none: `digest-ls serve` when
--- the executable is on PATH, otherwise the `python3 -m digest_ls serve` fallback
--- (a `pip install --user` without the scripts folder on PATH is common).
---@return string[]?
function M.fallback_cmd()
  if vim.fn.executable('digest-ls') == 1 then
    return nil -- lsp/digest_ls.lua already says `digest-ls serve`
  end
  local python = vim.g.python3_host_prog or 'python3'
  if vim.fn.executable(python) == 1 then
    return M.python_cmd(python)
  end
  return nil
end

--- The command that prints the version: the server command with `serve` swapped for `--version`.
---@param cmd string[]
---@return string[]
function M.version_cmd(cmd)
  local args = vim.deepcopy(cmd)
  if args[#args] == 'serve' then
    args[#args] = '--version'
  else
    table.insert(args, '--version')
  end
  return args
end

--- Configure and (by default) enable digest-ls.
---
--- Any field of `vim.lsp.Config` (cmd, filetypes, root_markers, on_attach,
--- capabilities, ...) is passed through; `settings` is the body of the
--- "digest-ls" section, deep-merged with what was configured before.
---@param opts? digest_ls.Opts
function M.setup(opts)
  if vim.fn.has('nvim-0.11') == 0 then
    vim.notify('digest-ls needs Neovim 0.11 or newer', vim.log.levels.ERROR)
    return
  end
  local config = vim.deepcopy(opts or {})
  local enable, python, settings = config.enable ~= false, config.python, config.settings
  config.enable, config.python, config.settings = nil, nil, nil

  if python and not config.cmd then
    config.cmd = M.python_cmd(python)
  elseif not config.cmd and not M.has_user_cmd() then
    config.cmd = M.fallback_cmd()
  end
  if settings ~= nil then
    if type(settings) ~= 'table' then
      vim.notify('digest-ls: `settings` must be a table', vim.log.levels.ERROR)
      return
    end
    config.settings = { [M.section] = settings }
  end

  vim.lsp.config(M.name, config)
  if enable then
    vim.lsp.enable(M.name)
  end
end

--- The code action kind of "fix everything mechanical", as `digest-ls check --fix` does.
M.fix_all_kind = 'source.fixAll.digest-ls'

--- Apply every mechanical fix in the buffer (the server's `source.fixAll.digest-ls` action).
--- Map it to a key, or run it before saving: see the README.
---@param bufnr? integer buffer (default: current)
function M.fix_all(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  vim.api.nvim_buf_call(bufnr, function()
    vim.lsp.buf.code_action({ context = { only = { M.fix_all_kind }, diagnostics = {} }, apply = true })
  end)
end

--- The server command that answers the citation of entries: {uri, format, papers | range} -> {text, ...}.
M.citation_command = 'digest-ls.citation'

--- Put a citation the server answered in the unnamed register (and the clipboard, when there is one).
---@param result? {text: string, format: string, papers: string[]}
function M.copy_citation(result)
  if type(result) ~= 'table' or type(result.text) ~= 'string' then
    vim.notify('digest-ls: no entry to cite here', vim.log.levels.WARN)
    return
  end
  vim.fn.setreg('"', result.text)
  if vim.fn.has('clipboard') == 1 then
    pcall(vim.fn.setreg, '+', result.text)
  end
  local what = #result.papers == 1 and result.papers[1] or (#result.papers .. ' entries')
  vim.notify(('digest-ls: %s citation of %s copied'):format(result.format, what))
end

--- Ask the server for a citation ({uri, format, papers | range}) and copy it.
---@param client vim.lsp.Client
---@param arguments table
---@param bufnr integer
function M.request_citation(client, arguments, bufnr)
  local params = { command = M.citation_command, arguments = { arguments } }
  client:request('workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify('digest-ls: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    M.copy_citation(result)
  end, bufnr)
end

--- Copy the citation of every entry the lines `first`..`last` (1-based) touch: `:DigestCite [bibtex|csl-json]`.
---@param format? string 'bibtex' (default) or 'csl-json'
---@param first integer
---@param last integer
---@param bufnr? integer
function M.cite(format, first, last, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })[1]
  if not client then
    vim.notify('digest-ls is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  -- Whole lines: character 0 means the same in every position encoding.
  local range = { start = { line = first - 1, character = 0 }, ['end'] = { line = last - 1, character = 0 } }
  M.request_citation(client, { uri = vim.uri_from_bufnr(bufnr), format = format or 'bibtex', range = range }, bufnr)
end

--- Whether the user already set a cmd other than the default through `vim.lsp.config`.
---@return boolean
function M.has_user_cmd()
  local cmd = (vim.lsp.config[M.name] or {}).cmd
  return not (type(cmd) == 'table' and cmd[1] == 'digest-ls')
end

return M
