-- A minimal Neovim (0.7+) configuration that starts `livedag lsp` ($LIVEDAG_LSP) for Python buffers.
vim.cmd("filetype on")
local cmd = { os.getenv("LIVEDAG_LSP") or "livedag", "lsp" }

vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":p:h")
    if vim.lsp.start then -- Neovim 0.8+
      vim.lsp.start({ name = "livedag", cmd = cmd, root_dir = root })
    else -- Neovim 0.7
      local id = vim.lsp.start_client({ name = "livedag", cmd = cmd, root_dir = root })
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
