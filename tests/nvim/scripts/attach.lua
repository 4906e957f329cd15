-- Opening a digest starts the server and attaches it; a clean digest gets an
-- empty diagnostic report; a Markdown file that is no digest gets none either.
local H = dofile(vim.env.DIGEST_LS_TEST_HARNESS)

H.run(function()
  local digest = H.open(H.params.digest)
  local client = H.client(digest)
  H.wait_for_report(digest)
  local digest_diagnostics = H.diagnostics(digest)

  local readme = H.open(H.params.not_a_digest)
  H.client(readme)
  H.wait_for_report(readme)

  return {
    name = client.name,
    root_dir = client.root_dir,
    server_name = client.server_info and client.server_info.name,
    server_version = client.server_info and client.server_info.version,
    offset_encoding = client.offset_encoding,
    clients = #vim.lsp.get_clients({ name = 'digest_ls' }),
    attached = vim.tbl_count(client.attached_buffers),
    digest_diagnostics = digest_diagnostics,
    readme_diagnostics = H.diagnostics(readme),
  }
end)
