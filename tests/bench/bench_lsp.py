"""LSP latency benchmark: the real server over stdio, driven by a small JSON-RPC client.

Run from the repository root (not collected by pytest):

    python tests/bench/bench_lsp.py [--workspace dev year] [--runs 5] [--edits 12] [--corpus ../shared/corpus/dev] [--json out.json]

Each run starts three server processes (`python -m digest_ls serve`) on a
workspace (`--workspace`, default `dev`; see workspaces.py): a temporary copy
of the dev corpus, or a year of digests generated from it with the same
largest digest beside them (two cold indexes of the year make a run there
take a minute and a half). With both, each run measures both, one after
the other, and the report adds the ratio year / dev of every figure. The
three sessions, one after the other:

- a *push* session (Neovim-like: UTF-8 positions, published diagnostics) on
  an empty cache, so its index time is the cold one;
- a *pull* session (VS Code-like: UTF-16 positions, `textDocument/diagnostic`)
  on the cache the first one left, so its index time is the warm one;
- a push session without the workspace rules, on an empty cache (see below).

Measured, client side, from the moment a message is written to the moment
its answer (or the notification it causes) has been read off the pipe:

- spawn -> `initialize` result (interpreter start and imports included),
  beside the floor: a fresh interpreter importing pygls and lsprotocol;
- `initialized` -> `$/progress` end (the workspace index is built), and the
  server's resident memory (VmRSS) at that point and at the end; on the cold
  index also the first progress message and the longest silence between two
  (what a user watching the progress sees);
- `initialize` minus the floor measured in the same run;
- didOpen of the largest digest -> its first diagnostics (push and pull),
  which hold the document's own, and -> the diagnostics that hold the
  workspace rules' D401/D402 too (a second push of the same version; a pull
  after the server's `workspace/diagnostic/refresh`);
- a one-character didChange inside an entry -> its new diagnostics, with
  `debounceMs: 0`, interleaved with a didChange replacing the whole text
  (a full re-parse) -> its diagnostics; the ratio of the two medians;
- the same didOpen and didChanges with the workspace rules D401/D402 (the
  only diagnostics that read the index) turned off: the server and lint
  alone; in that session the document is first opened right after
  `initialized`, while a cold index is being built (as editors do), then
  closed (the time until the server answers the next request) and opened
  again;
- documentSymbol, hover (on an entry heading) and completion (in an author
  line) right after an edit, once its diagnostics are in (and once more
  without an edit in between, the cached case); the outline is asked for
  once before the edits, as editors do when a document is shown.

The machine is shared and noisy: every figure is the median of all samples
over all runs, sessions of the three kinds are interleaved, and the table
shows the p90 beside the median.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from workspaces import CORPUS, LARGEST, WORKSPACES, build_workspace
from year import digests_of

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120.0
# How the server is started; a profiling script may put a wrapper here.
SERVER_COMMAND = [sys.executable, "-m", "digest_ls", "serve"]

# metric -> (target in ms or MB, unit); None for figures reported without a target.
TARGETS = {
    "initialize (spawn to result)": (300, "ms"),
    "floor: python -c 'import pygls.lsp.server'": (None, "ms"),
    "initialize minus the floor (same run)": (50, "ms"),
    "index cold (initialized to progress end)": (None, "ms"),
    "index cold: first progress message": (None, "ms"),
    "index cold: longest silence between progress messages": (None, "ms"),
    "index warm (initialized to progress end)": (None, "ms"),
    "rss after index, cold cache": (150, "MB"),
    "rss after index, warm cache": (150, "MB"),
    "rss at end of session": (None, "MB"),
    "didOpen -> diagnostics (push)": (150, "ms"),
    "didOpen -> diagnostics (pull)": (150, "ms"),
    "didOpen -> D401/D402 in (push)": (None, "ms"),
    "didOpen -> D401/D402 in (pull)": (None, "ms"),
    "1-char didChange -> diagnostics (push)": (16, "ms"),
    "full didChange -> diagnostics (push)": (None, "ms"),
    "1-char didChange -> diagnostics (pull)": (16, "ms"),
    "full didChange -> diagnostics (pull)": (None, "ms"),
    "didOpen during cold indexing (push, no D401/D402)": (None, "ms"),
    "didClose -> next answer (push, no D401/D402)": (None, "ms"),
    "didOpen -> diagnostics (push, no D401/D402)": (None, "ms"),
    "1-char didChange -> diagnostics (push, no D401/D402)": (None, "ms"),
    "full didChange -> diagnostics (push, no D401/D402)": (None, "ms"),
    "documentSymbol, first after open": (None, "ms"),
    "documentSymbol after edit": (16, "ms"),
    "hover after edit": (16, "ms"),
    "completion after edit": (16, "ms"),
    "documentSymbol, unchanged document": (None, "ms"),
    "hover, unchanged document": (None, "ms"),
    "completion, unchanged document": (None, "ms"),
}
# Where a workspace has targets of its own (the year-sized goals).
WORKSPACE_TARGETS = {"year": {"index cold (initialized to progress end)": 10_000}}


# --- a minimal JSON-RPC client over the server's stdio --------------------------------------


class Client:
    """One server process. Answers the server's requests itself; records when each message arrived."""

    def __init__(self, env: dict[str, str], cwd: Path, stderr_path: Path):
        self._stderr = open(stderr_path, "ab")
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            SERVER_COMMAND,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env, cwd=cwd,
        )
        self._write_lock = threading.Lock()
        self._next_id = 0
        self._responses: dict[int, queue.Queue] = {}
        self._notifications: list[tuple[float, dict]] = []  # the server's requests too (refresh)
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # sending

    def _send(self, message: dict) -> float:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._write_lock:
            started = time.perf_counter()
            self.process.stdin.write(data)
            self.process.stdin.flush()
        return started

    def request(self, method: str, params) -> tuple[int, float]:
        self._next_id += 1
        request_id = self._next_id
        self._responses[request_id] = queue.Queue(1)
        return request_id, self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})

    def response(self, request_id: int) -> tuple[float, dict]:
        try:
            arrived, message = self._responses[request_id].get(timeout=TIMEOUT)
        finally:
            del self._responses[request_id]
        if "error" in message:
            raise RuntimeError(f"request {request_id} failed: {message['error']}")
        return arrived, message.get("result")

    def call(self, method: str, params) -> tuple[float, object]:
        """Send a request and wait for it: (milliseconds, result)."""
        request_id, started = self.request(method, params)
        arrived, result = self.response(request_id)
        return (arrived - started) * 1000, result

    def notify(self, method: str, params) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    # receiving

    def mark(self) -> int:
        """A position in the notification log; `wait_for` looks only at what arrives after it."""
        with self._arrived:
            return len(self._notifications)

    def notifications(self, since: int) -> list[tuple[float, dict]]:
        """(arrival time, message) of every notification that arrived after the mark `since`."""
        with self._arrived:
            return self._notifications[since:]

    def wait_for(self, since: int, predicate) -> tuple[float, dict]:
        deadline = time.monotonic() + TIMEOUT
        with self._arrived:
            while True:
                for arrived, message in self._notifications[since:]:
                    if predicate(message):
                        return arrived, message
                since = len(self._notifications)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise TimeoutError("the awaited notification never came")
                self._arrived.wait(remaining)

    def _read_loop(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    with self._arrived:
                        self._arrived.notify_all()
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            arrived = time.perf_counter()  # before decoding: the client's own parsing is not the server's latency
            message = json.loads(body)
            if "method" in message and "id" in message:
                with self._arrived:
                    self._notifications.append((arrived, message))
                    self._arrived.notify_all()
                self._answer_server_request(message)
            elif "id" in message:
                box = self._responses.get(message["id"])
                if box is not None:
                    box.put((arrived, message))
            else:
                with self._arrived:
                    self._notifications.append((arrived, message))
                    self._arrived.notify_all()

    def _answer_server_request(self, message: dict) -> None:
        result = None
        if message["method"] == "workspace/configuration":
            result = [None for _ in message["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    # the process

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            self.call("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        finally:
            self._stderr.close()


# --- the document and the positions the benchmark uses ---------------------------------------


def units(text: str, encoding: str) -> int:
    """Length of `text` in the client's position units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


class Target:
    """The largest digest, the places it is edited and queried, and the text the client believes in."""

    def __init__(self, path: Path):
        self.path = path
        self.uri = path.as_uri()
        with open(path, encoding="utf-8", newline="") as handle:
            self.original = handle.read()
        self.lines = self.original.split("\n")
        headings = [n for n, line in enumerate(self.lines) if line.startswith("### [")]
        if len(headings) < 10:
            raise SystemExit(f"{path} does not look like a digest with entries")
        # Edited: the TL;DR line of an entry in the middle (one character after "TLDR: ").
        middle = headings[len(headings) // 2]
        self.edit_line = next(n for n in range(middle, middle + 40) if self.lines[n].startswith(("TLDR", "TL;DR")))
        self.edit_col = self.lines[self.edit_line].index(":") + 2
        # Queried: an entry a tenth of the way in (its heading title, its second author).
        queried = headings[len(headings) // 10]
        self.hover_line, self.hover_col = queried, self.lines[queried].index("] [") + 5
        self.author_line = queried + 1
        author_text = self.lines[self.author_line]
        comma = author_text.index(",")
        self.author_col = comma + 4  # three characters into the second author
        self.inserted = False  # whether the client's text currently has the extra character

    def text(self) -> str:
        if not self.inserted:
            return self.original
        lines = list(self.lines)
        lines[self.edit_line] = lines[self.edit_line][: self.edit_col] + "x" + lines[self.edit_line][self.edit_col :]
        return "\n".join(lines)

    def one_char_change(self, encoding: str) -> dict:
        """Insert or delete (alternately) one character inside the entry."""
        prefix = units(self.lines[self.edit_line][: self.edit_col], encoding)
        start = {"line": self.edit_line, "character": prefix}
        if self.inserted:
            change = {"range": {"start": start, "end": {"line": self.edit_line, "character": prefix + 1}}, "text": ""}
        else:
            change = {"range": {"start": start, "end": start}, "text": "x"}
        self.inserted = not self.inserted
        return change

    def full_change(self) -> dict:
        self.inserted = not self.inserted
        return {"text": self.text()}

    def position(self, line: int, col: int, encoding: str) -> dict:
        return {"line": line, "character": units(self.lines[line][:col], encoding)}


# --- sessions ---------------------------------------------------------------------------------


def capabilities(pull: bool, encoding: str) -> dict:
    text_document = {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True, "tagSupport": {"valueSet": [1, 2]}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"],
                                          "resolveSupport": {"properties": ["documentation"]}}},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
    }
    workspace = {"workspaceFolders": True}
    if pull:  # as VS Code: the server offers pulling only to a client it can ask to pull again
        text_document["diagnostic"] = {"relatedDocumentSupport": True}
        workspace["diagnostics"] = {"refreshSupport": True}
    return {
        "general": {"positionEncodings": [encoding]},
        "window": {"workDoneProgress": True},
        "workspace": workspace,
        "textDocument": text_document,
    }


class Session:
    def __init__(self, workspace: Path, cache: Path, pull: bool, target: Target, samples: dict, logs: Path,
                 workspace_rules: bool = True):
        self.pull = pull
        self.encoding = "utf-16" if pull else "utf-8"
        self.kind = ("pull" if pull else "push") + ("" if workspace_rules else ", no D401/D402")
        self.options = {"debounceMs": 0} if workspace_rules else {"debounceMs": 0, "ignore": ["D401", "D402"]}
        self.target = target
        self.samples = samples
        env = dict(os.environ)
        env["DIGEST_LS_CACHE_DIR"] = str(cache)
        env["PYTHONPATH"] = str(ROOT / "server")
        self.client = Client(env, workspace, logs)
        self.workspace = workspace
        self.version = 0

    def add(self, metric: str, value: float) -> None:
        self.samples.setdefault(metric, []).append(value)

    def start(self, index_metric: str | None, rss_metric: str | None, open_while_indexing: bool = False,
              progress_metrics: bool = False) -> float:
        """Initialize and wait for the index; returns the milliseconds from spawn to the `initialize` result."""
        client = self.client
        params = {
            "processId": os.getpid(),
            "rootUri": self.workspace.as_uri(),
            "workspaceFolders": [{"uri": self.workspace.as_uri(), "name": self.workspace.name}],
            "capabilities": capabilities(self.pull, self.encoding),
            "initializationOptions": self.options,
        }
        request_id, _ = client.request("initialize", params)
        arrived, result = client.response(request_id)
        initialize_ms = (arrived - client.spawned) * 1000
        self.add("initialize (spawn to result)", initialize_ms)
        negotiated = result["capabilities"].get("positionEncoding", "utf-16")
        assert negotiated == self.encoding, negotiated
        since = client.mark()
        sent = client.notify("initialized", {})
        if open_while_indexing:  # as editors do: the file is opened as soon as the server is up
            self.open(f"didOpen during cold indexing ({self.kind})")
        arrived, _ = client.wait_for(
            since, lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end"
        )
        if index_metric:
            self.add(index_metric, (arrived - sent) * 1000)
        if progress_metrics:
            times = [t for t, m in client.notifications(since) if m.get("method") == "$/progress" and t <= arrived]
            self.add("index cold: first progress message", (times[0] - sent) * 1000)
            self.add("index cold: longest silence between progress messages",
                     max((later - earlier) * 1000 for earlier, later in zip([sent, *times], times)))
        if rss_metric:
            self.add(rss_metric, client.rss_mb())
        return initialize_ms

    def _pushed(self, send) -> float:
        """Milliseconds from a notification to the published diagnostics of the version it produced."""
        client, uri, version = self.client, self.target.uri, self.version
        since = client.mark()
        sent = send()
        arrived, _ = client.wait_for(
            since,
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and m["params"].get("version") == version,
        )
        return (arrived - sent) * 1000

    def _pulled(self, send) -> float:
        """Milliseconds from a notification to the answer of a diagnostic request sent right after it."""
        sent = send()
        request_id, _ = self.client.request("textDocument/diagnostic", {"textDocument": {"uri": self.target.uri}})
        arrived, report = self.client.response(request_id)
        assert report["kind"] == "full" and report["items"], "no diagnostics pulled"
        return (arrived - sent) * 1000

    def diagnostics_after(self, send) -> float:
        return self._pulled(send) if self.pull else self._pushed(send)

    def open(self, metric: str | None = None, workspace_metric: str | None = None) -> None:
        """didOpen; with `workspace_metric`, also the time until the diagnostics hold D401/D402."""
        self.version += 1  # a new version on a reopen: diagnostics of the earlier one cannot be mistaken for it
        self.target.inserted = False
        item = {"uri": self.target.uri, "languageId": "markdown", "version": self.version, "text": self.target.original}
        since = self.client.mark()
        sent = time.perf_counter()
        elapsed = self.diagnostics_after(lambda: self.client.notify("textDocument/didOpen", {"textDocument": item}))
        self.add(metric or f"didOpen -> diagnostics ({self.kind})", elapsed)
        if workspace_metric:
            self.add(workspace_metric, (self._workspace_diagnostics_in(since) - sent) * 1000)

    def _workspace_diagnostics_in(self, since: int) -> float:
        """When the diagnostics of the open version first held a D401/D402 (client clock)."""
        def workspace_codes(items) -> bool:
            return any(str(item.get("code", "")).startswith("D40") for item in items)

        uri, version = self.target.uri, self.version
        if not self.pull:
            arrived, _ = self.client.wait_for(
                since,
                lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                and m["params"].get("version") == version and workspace_codes(m["params"]["diagnostics"]),
            )
            return arrived
        seen = since
        while True:
            request_id, _ = self.client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
            arrived, report = self.client.response(request_id)
            if workspace_codes(report["items"]):
                return arrived
            self.client.wait_for(seen, lambda m: m.get("method") == "workspace/diagnostic/refresh")
            seen = self.client.mark()  # a refresh after this is one the next pull may not have seen

    def close_document(self) -> None:
        """didClose, then a request answered only once the close has been handled (messages go in order)."""
        sent = self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.target.uri}})
        self.client.call("textDocument/hover", {"textDocument": {"uri": self.target.uri}, "position": {"line": 0, "character": 0}})
        self.add(f"didClose -> next answer ({self.kind})", (time.perf_counter() - sent) * 1000)

    def change(self, change: dict) -> float:
        self.version += 1
        params = {"textDocument": {"uri": self.target.uri, "version": self.version}, "contentChanges": [change]}
        return self.diagnostics_after(lambda: self.client.notify("textDocument/didChange", params))

    def edits(self, count: int) -> None:
        for _ in range(count):  # interleaved, so that noise hits both alike
            self.add(f"1-char didChange -> diagnostics ({self.kind})", self.change(self.target.one_char_change(self.encoding)))
            self.add(f"full didChange -> diagnostics ({self.kind})", self.change(self.target.full_change()))

    def requests(self, count: int) -> None:
        target, uri = self.target, self.target.uri
        queries = {
            "documentSymbol": ("textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
            "hover": ("textDocument/hover", {
                "textDocument": {"uri": uri},
                "position": target.position(target.hover_line, target.hover_col, self.encoding)}),
            "completion": ("textDocument/completion", {
                "textDocument": {"uri": uri},
                "position": target.position(target.author_line, target.author_col, self.encoding)}),
        }
        # Editors ask for the outline as soon as a document is shown: the first answer converts everything.
        elapsed, _ = self.client.call(*queries["documentSymbol"])
        self.add("documentSymbol, first after open", elapsed)
        for _ in range(count):
            for name, (method, params) in queries.items():
                self.change(target.one_char_change(self.encoding))
                elapsed, result = self.client.call(method, params)
                assert result, f"{method} answered nothing"
                self.add(f"{name} after edit", elapsed)
                elapsed, _ = self.client.call(method, params)
                self.add(f"{name}, unchanged document", elapsed)

    def close(self) -> None:
        self.add("rss at end of session", self.client.rss_mb())
        self.client.close()


def import_floor() -> float:
    """Milliseconds for a fresh interpreter to import pygls (and lsprotocol): no server answers sooner."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pygls.lsp.server"], check=True)
    return (time.perf_counter() - started) * 1000


def run_once(workspace: Path, scratch: Path, target: Target, edits: int, samples: dict, run: int) -> None:
    floor = import_floor()
    samples.setdefault("floor: python -c 'import pygls.lsp.server'", []).append(floor)

    def start(session: Session, *args, **options) -> None:
        above_floor = session.start(*args, **options) - floor
        samples.setdefault("initialize minus the floor (same run)", []).append(above_floor)

    cache = scratch / f"cache-{run}"
    logs = scratch / "server-stderr.log"
    push = Session(workspace, cache, pull=False, target=target, samples=samples, logs=logs)
    try:
        start(push, "index cold (initialized to progress end)", "rss after index, cold cache", progress_metrics=True)
        push.open(workspace_metric="didOpen -> D401/D402 in (push)")
        push.edits(edits)
        push.requests(max(1, edits // 3))
    finally:
        push.close()
    pull = Session(workspace, cache, pull=True, target=target, samples=samples, logs=logs)
    try:
        start(pull, "index warm (initialized to progress end)", "rss after index, warm cache")
        pull.open(workspace_metric="didOpen -> D401/D402 in (pull)")
        pull.edits(edits)
    finally:
        pull.close()
    # The same edits without the workspace rules (the only diagnostics that read the index): the server and lint
    # alone. On a cold cache again, with the document opened while the index is built, as editors do.
    alone = Session(workspace, scratch / f"cache-{run}-alone", pull=False, target=target, samples=samples, logs=logs,
                    workspace_rules=False)
    try:
        start(alone, None, None, open_while_indexing=True)
        alone.close_document()
        alone.open()
        alone.edits(edits)
    finally:
        alone.close()


# --- report -----------------------------------------------------------------------------------


def summarise_metrics(samples: dict, targets: dict) -> dict:
    """Median, p90 and target of each metric of `targets` (metric -> (target, unit)) that has samples."""
    summary = {}
    for metric, (target, unit) in targets.items():
        values = samples.get(metric)
        if not values:
            continue
        ordered = sorted(values)
        median = statistics.median(ordered)
        summary[metric] = {
            "unit": unit,
            "median": median,
            "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
            "n": len(values),
            "target": target,
            "meets_target": None if target is None else median <= target,
            "samples": values,
        }
    return summary


def summarise(samples: dict, workspace: str) -> dict:
    overrides = WORKSPACE_TARGETS.get(workspace, {})
    targets = {metric: (overrides.get(metric, target), unit) for metric, (target, unit) in TARGETS.items()}
    summary = summarise_metrics(samples, targets)
    ratios = {}
    for kind in ("push", "pull", "push, no D401/D402"):
        incremental = summary.get(f"1-char didChange -> diagnostics ({kind})")
        full = summary.get(f"full didChange -> diagnostics ({kind})")
        if incremental and full:
            ratios[f"full / incremental didChange ({kind})"] = full["median"] / incremental["median"]
    rules, alone = (summary.get(f"1-char didChange -> diagnostics ({kind})") for kind in ("push", "push, no D401/D402"))
    if rules and alone:
        ratios["1-char didChange with / without D401/D402 (push)"] = rules["median"] / alone["median"]
    return {"metrics": summary, "ratios": ratios}


def across_workspaces(summaries: dict) -> dict:
    """year / dev of every median both have: what the workspace's size costs, measured in the same runs."""
    if not {"dev", "year"} <= summaries.keys():
        return {}
    dev, year = summaries["dev"]["metrics"], summaries["year"]["metrics"]
    return {metric: year[metric]["median"] / dev[metric]["median"] for metric in year if metric in dev}


def print_table(title: str, summary: dict) -> None:
    print(title)
    print(f"{'metric':56} {'median':>9} {'p90':>9} {'n':>4} {'target':>9}  ok")
    for metric, row in summary["metrics"].items():
        unit = row["unit"]
        target = f"{row['target']} {unit}" if row["target"] is not None else ""
        ok = {True: "yes", False: "NO", None: ""}[row["meets_target"]]
        print(f"{metric:56} {row['median']:7.1f}{unit:>2} {row['p90']:7.1f}{unit:>2} {row['n']:4d} {target:>9}  {ok}")
    for name, ratio in summary["ratios"].items():
        print(f"{name:56} {ratio:8.2f}x")


def report(summaries: dict, setup: dict, json_path: Path | None) -> None:
    """Print each workspace's table and the year / dev ratios; write them all as JSON to `json_path`."""
    result = {"workspaces": summaries, "year / dev": across_workspaces(summaries), "setup": setup}
    for kind, summary in summaries.items():
        print_table(f"{kind} workspace ({setup['digests'][kind]} digests), {setup['document']} open", summary)
        print()
    if result["year / dev"]:
        print("year / dev, medians of the same runs")
        for metric, ratio in result["year / dev"].items():
            print(f"{metric:56} {ratio:8.2f}x")
    if json_path:
        json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", nargs="+", choices=WORKSPACES, default=["dev"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=12, help="edits of each kind per session")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    if not (args.corpus / LARGEST).is_file():
        raise SystemExit(f"{args.corpus / LARGEST} not found")
    samples: dict[str, dict[str, list[float]]] = {kind: {} for kind in args.workspace}
    with tempfile.TemporaryDirectory(prefix="digest-ls-bench-lsp-") as scratch_name:
        scratch = Path(scratch_name)
        workspaces = {kind: build_workspace(kind, scratch / kind, args.corpus) for kind in args.workspace}
        targets = {kind: Target(workspace / LARGEST) for kind, workspace in workspaces.items()}
        digests = {kind: len(digests_of(workspace)) for kind, workspace in workspaces.items()}
        for kind in workspaces:
            (scratch / f"{kind}-sessions").mkdir()
        for run in range(args.runs):
            for kind, workspace in workspaces.items():  # interleaved: noise hits every workspace alike
                started = time.perf_counter()
                run_once(workspace, scratch / f"{kind}-sessions", targets[kind], args.edits, samples[kind], run)
                print(f"run {run + 1}/{args.runs}, {kind}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    summaries = {kind: summarise(samples[kind], kind) for kind in args.workspace}
    setup = {
        "runs": args.runs, "edits": args.edits, "document": LARGEST,
        "bytes": os.path.getsize(args.corpus / LARGEST), "python": sys.version.split()[0], "digests": digests,
    }  # fmt: skip
    report(summaries, setup, args.json)


if __name__ == "__main__":
    main()
