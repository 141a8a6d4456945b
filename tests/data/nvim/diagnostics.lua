-- Headless Neovim 0.7: start dockerlint server, open the Dockerfile, print the diagnostics.
local cmd = { os.getenv("DOCKERLINT_BIN"), "server" }
local id = vim.lsp.start_client({ name = "dockerlint", cmd = cmd, root_dir = vim.fn.getcwd() })
vim.cmd("edit Dockerfile")
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, d.code or "?", d.message:sub(1, 60)))
end
io.stdout:write((ok and "OK\n" or "TIMEOUT\n") .. table.concat(out, "\n") .. "\n")
vim.lsp.stop_client(id)
vim.cmd("qa!")
