-- A quick fix applied the way a user does: cursor on the diagnostic's line,
-- vim.lsp.buf.code_action with a filter and `apply = true` (and `only` kinds
-- when the test gives them); then the buffer and the diagnostics once the
-- fixed problem is gone from them.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  H.client(buf)
  H.wait_for_codes(buf, { H.params.code })
  local target = vim.iter(vim.diagnostic.get(buf)):find(function(d)
    return d.code == H.params.code
  end)
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local before = H.lines(buf)
  local reports = H.reports[buf] or 0
  local offered = {}

  vim.lsp.buf.code_action({
    context = H.params.only and { only = H.params.only } or nil,
    apply = true,
    filter = function(action)
      table.insert(offered, { title = action.title, kind = action.kind, diagnostics = action.diagnostics })
      return vim.iter(action.diagnostics or {}):any(function(d)
        return d.code == H.params.code
      end)
    end,
  })
  local outcome
  vim.wait(H.timeout, function()
    outcome = (H.notice('No code actions available') and 'none offered')
      or (not vim.deep_equal(H.lines(buf), before) and 'applied')
    return outcome
  end, 20)
  if outcome ~= 'applied' then
    error(('the %s quick fix was not applied (%s); actions seen by the filter: %s'):format(
      H.params.code, outcome or 'timed out', vim.inspect(offered)))
  end
  -- The buffer keeps the old diagnostics until the server's next report.
  H.wait('the next report without ' .. H.params.code, function()
    return (H.reports[buf] or 0) > reports and not vim.iter(vim.diagnostic.get(buf)):any(function(d)
      return d.code == H.params.code
    end)
  end)
  return {
    offered = offered,
    before = before[target.lnum + 1],
    after = H.lines(buf)[target.lnum + 1],
    changed_lines = vim.iter(ipairs(H.lines(buf))):fold(0, function(count, index, line)
      return count + (line ~= before[index] and 1 or 0)
    end),
    line_count = { #before, vim.api.nvim_buf_line_count(buf) },
    lines = H.lines(buf),
    diagnostics = H.diagnostics(buf),
  }
end)
