"""Protocol tests: the real server process driven by pytest-lsp (a package, so its conftest never shadows tests/conftest.py)."""
