-- The server's diagnostics reach vim.diagnostic with their codes and lines;
-- with `exact`, wait until exactly the given codes are shown.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local buf = H.open(H.params.path)
  H.client(buf)
  return H.wait_for_codes(buf, H.params.codes, H.params.exact)
end)
