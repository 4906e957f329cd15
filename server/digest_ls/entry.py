"""The `digest-ls` command's entry point: `serve` without the command line's imports, the rest to `cli`.

An editor starts `digest-ls serve` and waits for its answer to `initialize`;
the checker's configuration, report and rule modules (tens of milliseconds
of imports) are no part of that, so `serve` is parsed and started from here.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="digest-ls")
        add_serve_command(parser.add_subparsers(dest="command", metavar="COMMAND"))
        args = parser.parse_args(arguments)
        return args.run(args)
    from .cli import main as command_line

    return command_line(arguments)


def add_serve_command(commands) -> None:
    serve = commands.add_parser("serve", help="start the language server (stdio by default)")
    serve.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", default=None)
    serve.add_argument("--ws", metavar="HOST:PORT", default=None)
    serve.add_argument("--log-file", default=None)
    serve.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"))
    serve.set_defaults(run=_run_serve)


def _run_serve(args) -> int:
    from .lsp.server import serve

    transport, host, port = "stdio", "127.0.0.1", 2087
    for name in ("tcp", "ws"):
        value = getattr(args, name)
        if value:
            transport = name
            host, _, port_text = value.rpartition(":")
            host = host or "127.0.0.1"
            try:
                port = int(port_text)
            except ValueError:
                print(f"digest-ls: --{name} expects HOST:PORT, got {value!r}", file=sys.stderr)
                return 2
    try:
        serve(transport=transport, host=host, port=port, log_file=args.log_file, log_level=args.log_level)
    except RuntimeError as error:  # e.g. --ws without the websockets package
        print(f"digest-ls: {error}", file=sys.stderr)
        return 2
    return 0
