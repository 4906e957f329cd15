--- `:checkhealth digest_ls`: is Neovim new enough, is the config found and
--- enabled, can the server command run, which version does it report, and does
--- the `python -m digest_ls` fallback work.
local M = {}

local digest_ls = require('digest_ls')

--- Run a short command; returns (ok, first line of output or of the error).
---@param cmd string[]
---@param env? table<string, string>
---@return boolean, string
local function run(cmd, env)
  local ok, job = pcall(vim.system, cmd, { text = true, env = env })
  if not ok then
    return false, tostring(job)
  end
  local result = job:wait(15000)
  local output = vim.trim((result.stdout or '') .. '\n' .. (result.stderr or ''))
  if result.code ~= 0 then
    return false, ('exit code %d: %s'):format(result.code, output)
  end
  return true, output:match('[^\n]+') or ''
end

local function check_neovim()
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()))
  else
    vim.health.error('Neovim 0.11 or newer is needed (vim.lsp.config / vim.lsp.enable)')
  end
end

---@return vim.lsp.Config?
local function check_config()
  local config = vim.lsp.config[digest_ls.name]
  if not config then
    vim.health.error('no `digest_ls` LSP config: is editors/nvim on your runtimepath?')
    return nil
  end
  vim.health.ok('config found (vim.lsp.config.digest_ls), filetypes: ' .. table.concat(config.filetypes or {}, ', '))
  if vim.lsp.is_enabled(digest_ls.name) then
    vim.health.ok('enabled')
  else
    vim.health.warn('not enabled', {
      "call vim.lsp.enable('digest_ls'), require('digest_ls').setup(), or set vim.g.digest_ls_enable = true",
    })
  end
  return config
end

--- Check the configured command; returns whether it printed a version.
---@param config vim.lsp.Config
---@return boolean
local function check_command(config)
  local cmd = config.cmd
  if type(cmd) ~= 'table' then
    vim.health.info('cmd is a function (custom transport); cannot check it from here')
    return true
  end
  local shown = table.concat(cmd, ' ')
  if vim.fn.executable(cmd[1]) ~= 1 then
    vim.health.error(('server executable not found: `%s`'):format(cmd[1]), {
      'install the digest-ls package so that `digest-ls` is on PATH (e.g. pipx install /path/to/digest-ls)',
      "or point cmd at a Python that has it: require('digest_ls').setup({ python = '/path/to/python' })",
    })
    return false
  end
  vim.health.ok(('server command: `%s` (%s)'):format(shown, vim.fn.exepath(cmd[1])))
  local ok, output = run(digest_ls.version_cmd(cmd), config.cmd_env)
  if ok then
    vim.health.ok('version: ' .. output)
  else
    vim.health.error(('`%s` failed: %s'):format(table.concat(digest_ls.version_cmd(cmd), ' '), output), {
      'run the command in a terminal to see the full error',
    })
  end
  return ok
end

--- Report the other ways to start the server, so a broken cmd comes with a working alternative.
---@param command_works boolean
local function check_alternatives(command_works)
  local report_missing = command_works and vim.health.info or vim.health.warn
  if vim.fn.executable('digest-ls') == 1 then
    vim.health.info('`digest-ls` on PATH: ' .. vim.fn.exepath('digest-ls'))
  else
    report_missing('`digest-ls` is not on PATH')
  end
  local python = vim.g.python3_host_prog or 'python3'
  if vim.fn.executable(python) ~= 1 then
    report_missing(('fallback: `%s` not found'):format(python))
    return
  end
  local ok, output = run({ python, '-m', 'digest_ls', '--version' })
  if ok then
    local hint = command_works and '' or ("; use it: require('digest_ls').setup({ python = '%s' })"):format(python)
    vim.health.ok(('fallback `%s -m digest_ls` works: %s%s'):format(python, output, hint))
  else
    report_missing(('fallback `%s -m digest_ls` does not work: %s'):format(python, output))
  end
end

local function check_clients()
  local clients = vim.lsp.get_clients({ name = digest_ls.name })
  if #clients == 0 then
    vim.health.info('no running digest_ls client (open a digest to start one)')
  end
  for _, client in ipairs(clients) do
    local info = client.server_info or {}
    vim.health.info(
      ('client %d: %s %s, root %s, %d buffer(s)'):format(
        client.id,
        info.name or 'digest-ls',
        info.version or '',
        client.root_dir or '(none)',
        vim.tbl_count(client.attached_buffers)
      )
    )
  end
end

function M.check()
  vim.health.start('digest-ls')
  check_neovim()
  local config = check_config()
  if not config then
    return
  end
  local command_works = check_command(config)
  vim.health.start('digest-ls: other ways to start the server')
  check_alternatives(command_works)
  vim.health.start('digest-ls: clients')
  check_clients()
end

return M
