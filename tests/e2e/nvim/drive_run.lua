-- Runs a node as a Neovim user would: take the `▶ Run` code lens of node `b`, execute its command,
-- then ask for the inlay hints and the hover of `b`; writes what it saw to $LIVEDAG_NVIM_OUT as JSON.
local buf = vim.api.nvim_get_current_buf()
local out = {}
local text_document = vim.lsp.util.make_text_document_params(buf)

local function request(method, params, timeout)
  local responses = vim.lsp.buf_request_sync(buf, method, params, timeout or 20000)
  for _, response in pairs(responses or {}) do
    if response.error then out.errors = (out.errors or "") .. vim.inspect(response.error) end
    if response.result ~= nil then return response.result end
  end
  return nil
end

out.attached = vim.wait(20000, function()
  local lenses = request("textDocument/codeLens", { textDocument = text_document }, 2000)
  return lenses ~= nil and #lenses > 0
end, 50)

local run_lens = nil
for _, lens in ipairs(request("textDocument/codeLens", { textDocument = text_document }) or {}) do
  if lens.command and lens.command.title == "▶ Run" and lens.command.arguments[1].node == "b" then
    run_lens = lens
  end
end
out.found_lens = run_lens ~= nil
if run_lens then
  out.outcome = request("workspace/executeCommand", run_lens.command, 60000)
end

local hints = request("textDocument/inlayHint", {
  textDocument = text_document,
  range = { start = { line = 0, character = 0 }, ["end"] = { line = 100, character = 0 } },
}) or {}
out.hints = {}
for _, hint in ipairs(hints) do
  out.hints[tostring(hint.position.line)] = hint.label
end

local hover = request("textDocument/hover", { textDocument = text_document, position = { line = run_lens and run_lens.range.start.line or 0, character = 5 } })
out.hover = hover and hover.contents.value or ""

local file = io.open(os.getenv("LIVEDAG_NVIM_OUT"), "w")
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd("qa!")
