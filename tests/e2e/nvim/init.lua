-- A minimal Neovim (0.7+) configuration that starts `livedag lsp` for Python buffers, rooted at the project:
-- the nearest folder above the file with a livedag.toml, a pyproject.toml or a .git (else the file's folder),
-- and one server per root. The executable comes from $LIVEDAG_LSP (the test passes the venv's), else `livedag`.
vim.cmd("filetype on")
local cmd = { os.getenv("LIVEDAG_LSP") or "livedag", "lsp" }
local markers = { "livedag.toml", "pyproject.toml", ".git" }

local function project_root(file)
  local folder = vim.fn.fnamemodify(file, ":p:h")
  local best = nil
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, folder .. ";")
    if found == "" then found = vim.fn.findfile(marker, folder .. ";") end
    if found ~= "" then
      local root = vim.fn.fnamemodify(found, ":p:h")
      if marker == ".git" then root = vim.fn.fnamemodify(found, ":p:h:h") end
      if best == nil or #root > #best then best = root end -- the nearest one
    end
  end
  return best or folder
end

local clients = {} -- Neovim 0.7: one client per root, shared by the buffers under it

vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    local root = project_root(vim.api.nvim_buf_get_name(args.buf))
    if vim.lsp.start then -- Neovim 0.8+: reuses the client of the same name and root
      vim.lsp.start({ name = "livedag", cmd = cmd, root_dir = root })
    else -- Neovim 0.7
      if clients[root] == nil or vim.lsp.client_is_stopped(clients[root]) then
        clients[root] = vim.lsp.start_client({ name = "livedag", cmd = cmd, root_dir = root })
      end
      vim.lsp.buf_attach_client(args.buf, clients[root])
    end
  end,
})
