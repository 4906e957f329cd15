-- Helpers for the end-to-end scripts in tests/nvim/scripts/: open a workspace
-- file, wait (by polling a condition with vim.wait, never a fixed sleep) for the
-- client, diagnostics or a reply, and hand a JSON result back to pytest.
--
-- Load with `dofile(vim.env.DIGEST_LS_TEST_HARNESS)`.
-- Environment: DIGEST_LS_WORKSPACE (the copied fixture folder),
-- DIGEST_LS_TEST_RESULT (where to write the JSON), DIGEST_LS_TEST_PARAMS (a
-- JSON file of per-test parameters).
local H = {}

H.workspace = vim.env.DIGEST_LS_WORKSPACE
H.timeout = 20000

local function read_params()
  local path = vim.env.DIGEST_LS_TEST_PARAMS
  if not path or vim.fn.filereadable(path) == 0 then
    return {}
  end
  return vim.json.decode(table.concat(vim.fn.readfile(path), '\n'), { luanil = { object = true, array = true } })
end

H.params = read_params()

--- Messages the server showed (window/showMessage), kept for failure reports.
H.messages = {}
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx)
  table.insert(H.messages, result and result.message or '')
  return show_message(err, result, ctx)
end

--- What Neovim told the user through vim.notify (e.g. "No code actions available").
H.notices = {}
local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(H.notices, tostring(message))
  return notify(message, level, opts)
end

--- The first notice that contains `text`, if any.
function H.notice(text)
  return vim.iter(H.notices):find(function(message)
    return message:find(text, 1, true)
  end)
end

--- How many diagnostic reports (pulled replies or pushed notifications) each
--- buffer has received: "a report arrived" is what lets a test assert that a
--- clean file has no diagnostics without sleeping.
H.reports = {}
--- The last report of each buffer: when Neovim had handled it (vim.uv.hrtime(),
--- once vim.diagnostic holds it) and for which document version (nil when the
--- server sent none). The latency benchmark (scripts/latency.lua) times with it.
H.last_report = {}
local function count_report(bufnr, version)
  if bufnr then
    H.reports[bufnr] = (H.reports[bufnr] or 0) + 1
    H.last_report[bufnr] = { at = vim.uv.hrtime(), version = version }
  end
end
local on_pull = vim.lsp.handlers['textDocument/diagnostic']
vim.lsp.handlers['textDocument/diagnostic'] = function(err, result, ctx)
  local value = on_pull(err, result, ctx)
  if not err and result then
    count_report(ctx.bufnr or vim.uri_to_bufnr(ctx.params.textDocument.uri), ctx.version)
  end
  return value
end
local on_push = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx)
  local value = on_push(err, result, ctx)
  if result then
    count_report(vim.uri_to_bufnr(result.uri), result.version)
  end
  return value
end

--- Wait until `buf` has received more than `seen` diagnostic reports.
---@param buf integer
---@param seen? integer
---@return integer the new count
function H.wait_for_report(buf, seen)
  return H.wait('a diagnostic report', function()
    local count = H.reports[buf] or 0
    return count > (seen or 0) and count
  end)
end

local function write_result(payload)
  local file = assert(io.open(vim.env.DIGEST_LS_TEST_RESULT, 'w'))
  file:write(vim.json.encode(payload))
  file:close()
end

--- Run `body` and write {ok, result | error, messages}; always quits Neovim.
---@param body fun(): any
function H.run(body)
  local ok, value = xpcall(body, debug.traceback)
  local payload = { ok = ok, messages = H.messages, notices = H.notices }
  if ok then
    payload.result = value
  else
    payload.error = tostring(value)
  end
  write_result(payload)
  vim.cmd('qa!')
end

--- Wait until `condition()` is truthy; raise with `what` on timeout.
---@param what string
---@param condition fun(): any
---@param timeout? integer
function H.wait(what, condition, timeout)
  local value
  local ok = vim.wait(timeout or H.timeout, function()
    value = condition()
    return value
  end, 20)
  if not ok then
    error('timed out waiting for ' .. what, 2)
  end
  return value
end

--- Edit a workspace file; returns its buffer.
---@param relative string
---@return integer
function H.open(relative)
  vim.cmd.edit(vim.fn.fnameescape(H.workspace .. '/' .. relative))
  return vim.api.nvim_get_current_buf()
end

--- The digest_ls client attached to `buf`, once it has initialized.
---@param buf integer
---@return vim.lsp.Client
function H.client(buf)
  return H.wait('digest_ls to attach', function()
    local client = vim.lsp.get_clients({ bufnr = buf, name = 'digest_ls' })[1]
    return client and client.initialized and client
  end)
end

--- Diagnostics of `buf` as plain tables, sorted by position.
---@param buf integer
function H.diagnostics(buf)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(items, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      code = d.code,
      severity = vim.diagnostic.severity[d.severity],
      message = d.message,
      source = d.source,
    })
  end
  table.sort(items, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return tostring(a.code) < tostring(b.code)
  end)
  return items
end

--- Wait until `buf` shows a diagnostic with each of `codes` (with `exact`:
--- those codes and no other); returns them all.
---@param buf integer
---@param codes string[]
---@param exact? boolean
function H.wait_for_codes(buf, codes, exact)
  local wanted = {}
  for _, code in ipairs(codes) do
    wanted[code] = true
  end
  return H.wait('diagnostics ' .. table.concat(codes, ', ') .. (exact and ' (only)' or ''), function()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      seen[tostring(d.code)] = true
      if exact and not wanted[tostring(d.code)] then
        return nil
      end
    end
    for code in pairs(wanted) do
      if not seen[code] then
        return nil
      end
    end
    return H.diagnostics(buf)
  end)
end

--- A request from `buf` to its digest_ls client; waits for the reply (not a fixed time).
---@param client vim.lsp.Client
---@param method string
---@param params table
---@param buf integer
function H.request(client, method, params, buf)
  local reply = client:request_sync(method, params, H.timeout, buf)
  if not reply then
    error(method .. ': no reply within ' .. H.timeout .. ' ms', 2)
  end
  if reply.err then
    error(method .. ': ' .. vim.inspect(reply.err), 2)
  end
  return reply.result
end

--- Position params for the cursor at (0-based line, 0-based byte column) in `buf`.
function H.position_params(client, buf, line, col)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

--- The lines of `buf`.
function H.lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

--- The 0-based number of the first line of `buf` that contains `text` (plain).
function H.find_line(buf, text)
  for index, line in ipairs(H.lines(buf)) do
    if line:find(text, 1, true) then
      return index - 1
    end
  end
  error(('no line contains %q'):format(text), 2)
end

return H
