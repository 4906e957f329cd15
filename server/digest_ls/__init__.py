"""digest-ls: a language server and linter for arXiv digest Markdown files."""

__version__ = "0.1.0"
