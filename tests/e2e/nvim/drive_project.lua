-- Drives Neovim in a project of two files: definition across files, one server for both buffers, and a
-- rename that edits both files; writes what it saw as JSON to $LIVEDAG_NVIM_OUT, then quits.
local out = {}
local b = vim.api.nvim_get_current_buf()
local a_path = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(b), ":p:h") .. "/a.py"

out.attached = vim.wait(20000, function() return #vim.lsp.buf_get_clients(b) > 0 end, 20)
-- wait until the server has resolved the graph: a hover on `raw` answers
local function ask(method, params)
  local responses = vim.lsp.buf_request_sync(b, method, params, 10000)
  for _, response in pairs(responses or {}) do
    if response.result then return response.result end
  end
  return nil
end
local at_raw = { textDocument = vim.lsp.util.make_text_document_params(b), position = { line = 0, character = 13 } }
vim.wait(20000, function() return ask("textDocument/hover", at_raw) ~= nil end, 50)

local found = ask("textDocument/definition", at_raw)
if found then
  local location = found[1] or found
  out.definition = { uri = location.uri, line = location.range.start.line, character = location.range.start.character }
end

vim.cmd("edit " .. a_path)
local a = vim.api.nvim_get_current_buf()
vim.wait(10000, function() return #vim.lsp.buf_get_clients(a) > 0 end, 20)
out.servers = #vim.lsp.get_active_clients()
vim.cmd("buffer " .. b)

local params = vim.tbl_extend("force", at_raw, { newName = "source" })
local edit = ask("textDocument/rename", params)
if edit then
  vim.lsp.util.apply_workspace_edit(edit, "utf-16")
  out.renamed = true
end
vim.cmd("wall")

local file = io.open(os.getenv("LIVEDAG_NVIM_OUT"), "w")
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd("qa!")
