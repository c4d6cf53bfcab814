-- Drives Neovim as a user would: wait for diagnostics, hover a node, fix a problem, wait for the
-- diagnostics to follow; writes what it saw as JSON to $LIVEDAG_NVIM_OUT, then quits.
local buf = vim.api.nvim_get_current_buf()
local out = {}

local function diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(found, {
      line = d.lnum, col = d.col, severity = d.severity, message = d.message,
      code = d.code or lsp.code, source = d.source or lsp.source,
    })
  end
  return found
end

out.got_diagnostics = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
out.diagnostics = diagnostics()

local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = 10, character = 5 } }
local responses = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
for _, response in pairs(responses or {}) do
  if response.result then out.hover = response.result.contents.value end
end

-- fix the type mismatch (line 20: `word_count: str` -> `word_count: int`)
vim.api.nvim_buf_set_lines(buf, 19, 20, false, { "def report(word_count: int, words: list[str]) -> str:" })
out.followed_edit = vim.wait(20000, function() return #vim.diagnostic.get(buf) == #out.diagnostics - 1 end, 20)
out.after_edit = diagnostics()

local file = io.open(os.getenv("LIVEDAG_NVIM_OUT"), "w")
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd("qa!")
