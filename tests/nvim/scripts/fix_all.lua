-- require('digest_ls').fix_all(): the source.fixAll.digest-ls code action; returns the text.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  H.client(buf)
  H.wait_for_report(buf)
  local before = H.lines(buf)
  require('digest_ls').fix_all(buf)
  H.wait('the fixes to change the buffer', function()
    return not vim.deep_equal(H.lines(buf), before)
  end)
  return table.concat(H.lines(buf), '\n') .. '\n'
end)
