-- Latency as Neovim sees it, for tests/bench/bench_nvim.py: open a digest,
-- wait for the workspace index, then type and ask; every time is taken here
-- with vim.uv.hrtime(), from the editor action to the moment Neovim has
-- handled the answer (for diagnostics: once vim.diagnostic holds them).
--
-- Params: path (the digest), edit = {line, col} (0-based, byte column: where a
-- character is typed and deleted again), hover = {line, col}, edits (how many
-- of each measure), index_timeout_ms.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)
local P = H.params

-- Neovim's 150 ms didChange debounce and the server's debounce off: the
-- figures are the work done after a keystroke, not a wait chosen in a setting.
vim.lsp.config('digest_ls', {
  flags = { debounce_text_changes = 0 },
  init_options = { debounceMs = 0 },
})

local function elapsed_ms(started, ended)
  return (ended - started) / 1e6
end

local samples = {}
local function add(metric, value)
  samples[metric] = samples[metric] or {}
  table.insert(samples[metric], value)
end

local index_built_at
vim.api.nvim_create_autocmd('LspProgress', {
  pattern = 'end',
  callback = function()
    index_built_at = index_built_at or vim.uv.hrtime()
  end,
})

--- Edit `path` and time until its first diagnostics are in; returns the buffer and when it was opened.
local function open_timed(metric)
  local started = vim.uv.hrtime()
  local buf = H.open(P.path)
  -- Not a report without a version: that is the server clearing the buffer wiped before (same file).
  H.wait('the first diagnostics', function()
    local report = H.last_report[buf]
    return report and report.at > started and report.version ~= nil
  end)
  add(metric, elapsed_ms(started, H.last_report[buf].at))
  return buf, started
end

--- How many of the workspace rules' diagnostics (D401/D402) `buf` shows.
local function workspace_count(buf)
  local count = 0
  for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic.code == 'D401' or diagnostic.code == 'D402' then
      count = count + 1
    end
  end
  return count
end

--- Type one character at the edit position, or delete the one typed before.
local typed = false
local function keystroke(buf)
  local line, col = P.edit.line, P.edit.col
  if typed then
    vim.api.nvim_buf_set_text(buf, line, col, line, col + 1, {})
  else
    vim.api.nvim_buf_set_text(buf, line, col, line, col, { 'x' })
  end
  typed = not typed
  return vim.lsp.util.buf_versions[buf] -- the version the didChange carries
end

--- Wait for the diagnostics of document version `version` (not a late report of an earlier one).
local function diagnostics_of(buf, version)
  H.wait('the diagnostics of version ' .. version, function()
    local report = H.last_report[buf]
    return report and (report.version == nil or report.version >= version) and report
  end)
  return H.last_report[buf].at
end

--- A request sent at once after a keystroke; returns its round trip in ms.
local function request_after_keystroke(client, buf, method, params)
  local version = keystroke(buf)
  local started, answered, failure = vim.uv.hrtime(), nil, nil
  client:request(method, params, function(err, result)
    answered = vim.uv.hrtime()
    failure = (err or not result) and (err or 'no result')
  end, buf)
  H.wait(method .. ' reply', function()
    return answered
  end)
  if failure then -- raised here: an error inside the handler would not reach H.run
    error(method .. ' failed: ' .. vim.inspect(failure))
  end
  diagnostics_of(buf, version) -- settle before the next measure
  return elapsed_ms(started, answered)
end

H.run(function()
  local opened = vim.uv.hrtime()
  local buf = open_timed('open -> first diagnostics (server start included)')
  local client = H.client(buf)
  H.wait('the workspace index (progress end)', function()
    return index_built_at
  end, P.index_timeout_ms)
  add('open -> index built (progress end)', elapsed_ms(opened, index_built_at))
  -- The index's end may bring one more report (a refresh): let it pass.
  diagnostics_of(buf, vim.lsp.util.buf_versions[buf])

  local symbols = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local hover = H.position_params(client, buf, P.hover.line, P.hover.col)
  for _ = 1, P.edits do -- interleaved, so that noise hits every measure alike
    local started = vim.uv.hrtime()
    local version = keystroke(buf)
    add('keystroke -> diagnostics', elapsed_ms(started, diagnostics_of(buf, version)))
    add('documentSymbol right after a keystroke',
      request_after_keystroke(client, buf, 'textDocument/documentSymbol', symbols))
    add('hover right after a keystroke', request_after_keystroke(client, buf, 'textDocument/hover', hover))
  end

  local workspace_diagnostics = workspace_count(buf)
  for _ = 1, P.edits do
    vim.cmd('bwipeout!') -- didClose; the typed characters are dropped
    local opened_at
    buf, opened_at = open_timed('reopen -> first diagnostics (server running)')
    -- The first report holds the document's own diagnostics; the workspace rules' follow. Waiting for
    -- them also keeps the next reopen from queueing behind this one's work.
    H.wait('D401/D402 after reopening', function()
      return workspace_count(buf) >= workspace_diagnostics
    end)
    add('reopen -> D401/D402 in (server running)', elapsed_ms(opened_at, H.last_report[buf].at))
  end
  return {
    samples = samples,
    pull = client.server_capabilities.diagnosticProvider ~= nil,
    offset_encoding = client.offset_encoding,
    workspace_diagnostics = workspace_diagnostics,
  }
end)
