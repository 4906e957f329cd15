"""The `digest-ls` command: check, format, outline, rules, rule and serve.

Exit codes: 0 nothing at or above the threshold, 1 something is (or, with
`--diff` and `format --check`/`--diff`, a change is pending), 2 usage,
configuration or I/O errors (the run still goes on with the other files).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .entry import add_serve_command
from .config import Config, ConfigError, config_for, config_from_mapping, load_config, settings_toml
from .diagnostics import Severity
from .files import FileError, decode_text, read_text, write_atomic
from .report import FORMATS, HUMAN_FORMATS, ReportOptions, diff_summary, fixes_report, render
from .rules.registry import RULES, RULES_BY_NAME, RULES_LIST, closest, enabled_codes

FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "hint": Severity.HINT}
STDIN = "-"


class UsageError(Exception):
    """A combination of arguments that cannot work; the message says which."""


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
    except (UsageError, FileError) as error:
        print(f"digest-ls: {error}", file=sys.stderr)
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
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files and folders; `-` reads standard input")
    check.add_argument(
        "--output-format", "--format", dest="output_format", choices=FORMATS, default="full",
        help="full (default: the source line under each finding), concise (one line each), "
        "text (concise lines of every severity, as before), json, sarif, github, junit",
    )
    check.add_argument("--select", type=_codes, default=None, help="comma-separated codes or prefixes to enable")
    check.add_argument("--ignore", type=_codes, default=None, help="comma-separated codes or prefixes to disable")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also the unsafe ones (which leave work to do)")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff, write nothing; exit 1 if there are any")
    check.add_argument("--show-fixes", action="store_true", help="list the fixes applied (with --fix) or available")
    check.add_argument("--statistics", action="store_true", help="count the findings per rule instead of listing them")
    check.add_argument("--show-hints", action="store_true", help="list the infos and hints too (full and concise summarise them)")
    check.add_argument("--show-settings", action="store_true", help="print the configuration for the first PATH and where it comes from")
    check.add_argument("--show-files", action="store_true", help="list the files that would be checked, and those skipped with why")
    check.add_argument("--stdin-filename", default=None, metavar="NAME", help="with `-`: the file name to report and configure as")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems remain")
    check.add_argument("--fail-on", choices=list(FAIL_ON), default="warning")
    check.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (0: one per CPU for large runs)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the results cache")
    check.add_argument("--config", type=Path, default=None, help="a .digest-ls.toml or pyproject.toml to use")
    check.set_defaults(run=_run_check)

    fmt = commands.add_parser("format", help="normalise digests to the generator's layout")
    fmt.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files and folders; `-` reads standard input")
    fmt.add_argument("--check", action="store_true", help="exit 1 if a file would change, write nothing")
    fmt.add_argument("--diff", action="store_true", help="print a diff, write nothing; exit 1 if a file would change")
    fmt.add_argument("--stdin-filename", default=None, metavar="NAME", help="with `-`: the file name to configure as")
    fmt.add_argument("--config", type=Path, default=None)
    fmt.set_defaults(run=_run_format)

    outline = commands.add_parser("outline", help="print the document model")
    outline.add_argument("path", type=Path)
    outline.add_argument("--format", choices=("json", "text"), default="json")
    outline.set_defaults(run=_run_outline)

    rules = commands.add_parser("rules", help="print the rule catalogue")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.set_defaults(run=_run_rules)

    rule = commands.add_parser("rule", help="explain one rule: what it checks, why, bad, good, its fix")
    rule.add_argument("rule", metavar="CODE", help="a rule code (D205) or name (duplicate-paper)")
    rule.add_argument("--output-format", "--format", dest="output_format", choices=("text", "json"), default="text")
    rule.set_defaults(run=_run_rule)

    add_serve_command(commands)
    return parser


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


# --- configuration ---------------------------------------------------------------


class _Configs:
    """The configuration of each file: its project's (or `--config`), with `--select`/`--ignore` over it.

    Files of one folder share their configuration, so it is looked up once per
    folder and run.
    """

    def __init__(self, args):
        self.args = args
        self._by_folder: dict[Path, Config] = {}

    def __call__(self, path: Path) -> Config:
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        config = self._by_folder.get(folder)
        if config is None:
            config = self._by_folder[folder] = self._with_overrides(self.from_file(folder))
        return config

    def from_file(self, folder: Path) -> Config:
        if self.args.config is not None:
            return load_config(self.args.config)
        return config_for(folder)

    def _with_overrides(self, config: Config) -> Config:
        overrides = {}
        if getattr(self.args, "select", None) is not None:
            overrides["select"] = list(self.args.select)
        if getattr(self.args, "ignore", None) is not None:
            overrides["ignore"] = list(config.ignore) + list(self.args.ignore)
        if not overrides:
            return config
        # Messages about the rest still name the file the configuration came from.
        return replace(config_from_mapping(overrides, "the command line", config), source=config.source)


def _stdin_paths(args) -> str | None:
    """The name standard input is checked as, when the paths are just `-`; None for ordinary paths."""
    if STDIN not in args.paths:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename needs `-` as the path")
        return None
    if args.paths != [STDIN]:
        raise UsageError("`-` (standard input) cannot be mixed with other paths")
    return args.stdin_filename or STDIN


def _read_stdin() -> str:
    return decode_text(sys.stdin.buffer.read(), "standard input")


def _write_exact(text: str) -> None:
    """Write text to standard output byte for byte (its line endings untouched on every platform)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def use_color(stream) -> bool:
    """Colour on a terminal; NO_COLOR (any value) turns it off, FORCE_COLOR turns it on anywhere."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


# --- check -----------------------------------------------------------------------


def _run_check(args) -> int:
    from .checker import check_paths, check_stdin

    configs = _Configs(args)
    stdin_name = _stdin_paths(args)
    paths = [Path(stdin_name)] if stdin_name is not None else [Path(p) for p in args.paths]
    first_config = configs(paths[0])  # a bad --select or configuration is reported once, before the run
    if args.show_settings:
        return _show_settings(args, paths[0], first_config)
    if args.show_files:
        return _show_files(paths, configs) if stdin_name is None else _show_stdin_file(stdin_name)
    if stdin_name is not None:
        outcome = check_stdin(
            stdin_name, _read_stdin(), first_config, fix=args.fix, diff=args.diff, unsafe_fixes=args.unsafe_fixes
        )
    else:
        outcome = check_paths(
            paths,
            configs,
            fix=args.fix and not args.diff,
            diff=args.diff,
            unsafe_fixes=args.unsafe_fixes,
            jobs=args.jobs,
            use_cache=not args.no_cache,
        )
    for message in outcome.errors:
        print(f"digest-ls: {message}", file=sys.stderr)
    # The fixed text of standard input goes to stdout, so the report goes to stderr.
    report_stream = sys.stderr if outcome.fixed_text is not None else sys.stdout
    options = ReportOptions(
        listed_from=min(Severity.WARNING, FAIL_ON[args.fail_on]),
        show_hints=args.show_hints,
        show_fixes=args.show_fixes,
        statistics=args.statistics,
        unsafe_fixes=args.unsafe_fixes,
        fix_mode="diff" if args.diff else "fix" if args.fix else "",
        color=use_color(report_stream),
    )
    if args.diff:
        # Like ruff: the diff alone on stdout, pending fixes fail the run, the rest waits for a check without --diff.
        _write_exact(outcome.diff_text)
        if args.show_fixes:
            sys.stderr.write(fixes_report(outcome, options))
        sys.stderr.write(diff_summary(outcome, options))
        return 2 if outcome.errors else 1 if outcome.diff_text else 0
    if outcome.fixed_text is not None:
        _write_exact(outcome.fixed_text)
    report_stream.write(render(args.output_format, outcome, options))
    if args.show_fixes and (args.output_format not in HUMAN_FORMATS or args.statistics):
        sys.stderr.write(fixes_report(outcome, options))
    if outcome.errors:
        return 2
    if args.exit_zero:
        return 0
    threshold = FAIL_ON[args.fail_on]
    failing = any(d.severity >= threshold for result in outcome.results for d in result.diagnostics)
    return 1 if failing else 0


def _show_settings(args, path: Path, config: Config) -> int:
    lines = [f"# digest-ls settings for {path}"]
    if config.source:
        lines.append(f"# from {config.source}")
    else:
        lines.append("# from the defaults: no .digest-ls.toml, nor pyproject.toml with [tool.digest-ls], above it")
    overridden = [name for name in ("select", "ignore") if getattr(args, name) is not None]
    if overridden:
        lines.append("# with " + " and ".join(f"--{name}" for name in overridden) + " from the command line")
    root = config.project_root()
    lines.append(f"# project root {root}: `exclude` is relative to it, the results cache is {root / '.digest-ls-cache'}")
    lines.append(settings_toml(config))
    enabled = enabled_codes(config.select, config.ignore) - {code for code, level in config.severity if level == "off"}
    lines.append(f"# rules enabled: {' '.join(sorted(enabled)) or 'none'}\n")
    print("\n".join(lines), end="")
    return 0


def _show_files(paths: list[Path], configs: _Configs) -> int:
    from .checker import select_files
    from .parser.document import parse

    selection = select_files(paths, configs)
    skipped = list(selection.skipped)
    for path, _ in selection.files:
        try:
            is_digest = parse(read_text(path)).is_digest
        except FileError as error:
            selection.errors.append(str(error))
            continue
        if is_digest:
            print(path)
        else:
            skipped.append((path, "not a digest"))
    for path, why in sorted(skipped):
        print(f"skipped {path}{'/' if path.is_dir() else ''}: {why}")
    for message in selection.errors:
        print(f"digest-ls: {message}", file=sys.stderr)
    return 2 if selection.errors else 0


def _show_stdin_file(name: str) -> int:
    print(f"{name} (standard input)")
    return 0


# --- format ----------------------------------------------------------------------


def _run_format(args) -> int:
    from .checker import select_files
    from .formatting import format_text

    configs = _Configs(args)
    stdin_name = _stdin_paths(args)
    if stdin_name is not None:
        original = _read_stdin()
        formatted = format_text(original, configs(Path(stdin_name)))
        pending = _report_reformat(stdin_name, original, formatted, args)
        if not (args.check or args.diff):
            _write_exact(formatted)
            return 0
        return 1 if pending else 0

    selection = select_files([Path(p) for p in args.paths], configs)
    errors = list(selection.errors)
    changed = 0
    for path, config in selection.files:
        try:
            original = read_text(path)
        except FileError as error:
            errors.append(str(error))
            continue
        formatted = format_text(original, config)
        if not _report_reformat(str(path), original, formatted, args):
            continue
        changed += 1
        if args.check or args.diff:
            continue
        try:
            write_atomic(path, formatted)
        except FileError as error:
            errors.append(str(error))
    for message in errors:
        print(f"digest-ls: {message}", file=sys.stderr)
    verb = "would be reformatted" if (args.check or args.diff) else "reformatted"
    unchanged = len(selection.files) - changed
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged", file=sys.stderr)
    if errors:
        return 2
    return 1 if changed and (args.check or args.diff) else 0


def _report_reformat(name: str, original: str, formatted: str, args) -> bool:
    """Whether the text changes; with --diff print the diff, with --check or --diff say it would be reformatted."""
    if formatted == original:
        return False
    if args.diff:
        _write_exact("".join(difflib.unified_diff(original.splitlines(True), formatted.splitlines(True), name, name)))
    if args.check or args.diff:
        print(f"would reformat {name}", file=sys.stderr)
    return True


# --- outline, rules, rule -----------------------------------------------------


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


def _run_rule(args) -> int:
    from .report import rule_json, rule_markdown

    wanted = args.rule.strip()
    rule = RULES.get(wanted.upper()) or RULES_BY_NAME.get(wanted.lower())
    if rule is None:
        close = closest(wanted)
        hint = f"; did you mean {close}?" if close else ""
        print(f"digest-ls: no rule `{wanted}` (`digest-ls rules` lists them){hint}", file=sys.stderr)
        return 2
    if args.output_format == "json":
        sys.stdout.write(json.dumps(rule_json(rule), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(rule_markdown(rule, heading="#"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
