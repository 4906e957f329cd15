"""`python -m digest_ls.lsp [--tcp HOST:PORT | --ws HOST:PORT] [--log-file F] [--log-level L]`.

A direct way to start the server (tests, editors configured by hand); the
`digest-ls serve` command of the CLI takes the same options.
"""

from __future__ import annotations

import argparse
import sys

from .server import serve


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    try:
        return host or "127.0.0.1", int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, not {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digest_ls.lsp", description="Run the digest-ls language server.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--tcp", type=_address, metavar="HOST:PORT", help="serve over TCP instead of stdio")
    group.add_argument("--ws", type=_address, metavar="HOST:PORT", help="serve over WebSocket instead of stdio")
    parser.add_argument("--log-file", help="write logs here instead of stderr")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    args = parser.parse_args(argv)
    transport, address = ("tcp", args.tcp) if args.tcp else ("ws", args.ws) if args.ws else ("stdio", None)
    host, port = address or ("127.0.0.1", 2087)
    serve(transport, host, port, log_file=args.log_file, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
