"""The `digest-ls` command: check, format, outline, rules and serve.

Exit codes: 0 nothing at or above the threshold, 1 something is, 2 usage,
configuration or I/O errors (the run still goes on with the other files).
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import sys
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, config_from_mapping, config_for
from .diagnostics import Severity
from .files import FileError, discover, read_text, write_atomic
from .report import FORMATS, render
from .rules.registry import RULES_LIST

FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "hint": Severity.HINT}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except ConfigError as error:
        print(f"digest-ls: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest-ls", description="Language server and linter for arXiv digest files.")
    parser.add_argument("--version", action="version", version=f"digest-ls {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="lint digests")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--select", type=_codes, default=None, help="comma-separated codes or prefixes to enable")
    check.add_argument("--ignore", type=_codes, default=None, help="comma-separated codes or prefixes to disable")
    check.add_argument("--fix", action="store_true", help="apply the mechanical fixes")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff instead of writing them")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems remain")
    check.add_argument("--fail-on", choices=list(FAIL_ON), default="warning")
    check.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (0: one per CPU for large runs)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the results cache")
    check.add_argument("--config", type=Path, default=None, help="a .digest-ls.toml or pyproject.toml to use")
    check.set_defaults(run=_run_check)

    fmt = commands.add_parser("format", help="normalise digests to the generator's layout")
    fmt.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    fmt.add_argument("--check", action="store_true", help="exit 1 if a file would change, write nothing")
    fmt.add_argument("--diff", action="store_true", help="print a diff, write nothing")
    fmt.add_argument("--config", type=Path, default=None)
    fmt.set_defaults(run=_run_format)

    outline = commands.add_parser("outline", help="print the document model")
    outline.add_argument("path", type=Path)
    outline.add_argument("--format", choices=("json", "text"), default="json")
    outline.set_defaults(run=_run_outline)

    rules = commands.add_parser("rules", help="print the rule catalogue")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.set_defaults(run=_run_rules)

    serve = commands.add_parser("serve", help="start the language server (stdio by default)")
    serve.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", default=None)
    serve.add_argument("--ws", metavar="HOST:PORT", default=None)
    serve.add_argument("--log-file", default=None)
    serve.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"))
    serve.set_defaults(run=_run_serve)
    return parser


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def _config(args, path: Path) -> Config:
    if getattr(args, "config", None) is not None:
        from .config import load_config

        config = load_config(args.config)
    else:
        config = _config_for_folder(path.resolve().parent if not path.is_dir() else path.resolve())
    overrides = {}
    if getattr(args, "select", None) is not None:
        overrides["select"] = list(args.select)
    if getattr(args, "ignore", None) is not None:
        overrides["ignore"] = list(config.ignore) + list(args.ignore)
    if overrides:
        config = config_from_mapping(overrides, "the command line", config)
    return config


@functools.lru_cache(maxsize=None)
def _config_for_folder(folder: Path) -> Config:
    # Files of one folder share their configuration: look it up once per folder.
    return config_for(folder)


def _run_check(args) -> int:
    from .checker import check_paths

    base_config = _config(args, Path(args.paths[0]) if args.paths else Path("."))
    outcome = check_paths(
        [Path(p) for p in args.paths],
        lambda path: _config(args, path) if args.config is None else base_config,
        fix=args.fix and not args.diff,
        diff=args.diff,
        jobs=args.jobs,
        use_cache=not args.no_cache,
    )
    for message in outcome.errors:
        print(f"digest-ls: {message}", file=sys.stderr)
    if args.diff:
        sys.stdout.write(outcome.diff_text)
    sys.stdout.write(render(args.format, outcome))
    threshold = FAIL_ON[args.fail_on]
    if outcome.errors:
        return 2
    if args.exit_zero:
        return 0
    failing = any(d.severity >= threshold for result in outcome.results for d in result.diagnostics)
    return 1 if failing else 0


def _run_format(args) -> int:
    from .formatting import format_text

    status = 0
    changed = 0
    errors = []
    files = discover([Path(p) for p in args.paths], errors)
    for path in files:
        try:
            config = _config(args, path)
            if config.is_excluded(str(path)):
                continue
            original = read_text(path)
        except FileError as error:
            errors.append(str(error))
            continue
        formatted = format_text(original, config)
        if formatted == original:
            continue
        changed += 1
        if args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    original.splitlines(keepends=True), formatted.splitlines(keepends=True), str(path), str(path)
                )
            )
        if args.check or args.diff:
            status = 1
            if args.check:
                print(f"would reformat {path}", file=sys.stderr)
            continue
        try:
            write_atomic(path, formatted)
        except FileError as error:
            errors.append(str(error))
    for message in errors:
        print(f"digest-ls: {message}", file=sys.stderr)
    verb = "would be reformatted" if (args.check or args.diff) else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}, {len(files) - changed} unchanged", file=sys.stderr)
    return 2 if errors else status


def _run_outline(args) -> int:
    from .outline import outline_json, outline_text
    from .parser.document import parse

    try:
        text = read_text(args.path)
    except FileError as error:
        print(f"digest-ls: {error}", file=sys.stderr)
        return 2
    document = parse(text)
    if args.format == "json":
        json.dump(outline_json(document, str(args.path)), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(outline_text(document, str(args.path)))
    return 0


def _run_rules(args) -> int:
    from .report import rules_json, rules_markdown, rules_text

    render_rules = {"text": rules_text, "json": rules_json, "markdown": rules_markdown}[args.format]
    sys.stdout.write(render_rules(RULES_LIST))
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
