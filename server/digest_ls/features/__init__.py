"""Pure editor features over the document model and the workspace index.

Nothing under `features/` or `index/` imports pygls or lsprotocol. Every
function takes a `Document` (digest_ls.model), code-point positions
(line, col; 0-based, columns count Unicode code points), the
`WorkspaceIndex` and a `Config`, and returns small frozen dataclasses whose
spans are ABSOLUTE `Span`s (document rows, code-point columns, end
exclusive). `digest_ls.lsp` converts them to protocol types.
Paths are plain `str` (absolute, resolved); `None` means "this document".
Every WorkspaceIndex method is thread-safe (one lock; scan() parses outside it).

Public API (kept in sync with the code; tests/unit/test_features_api.py checks it)
================================================================================

digest_ls.index  (WorkspaceIndex and its records)
-------------------------------------------------
    WorkspaceIndex(roots: list[Path], config: Config, cache_dir: Path | None = None)
        .scan(progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> ScanReport
        .config: Config                        # assignable; scan() again after include/exclude change
        .roots -> list[Path]                   # the safe (crawled) roots
        .set_open_document(path: str | Path, document: Document) -> None
            # O(1): the buffer's record is extracted by the next query, off the event loop
        .close_document(path) -> None          # falls back to the disk copy
        .file_changed(path) -> None            # re-read from disk unless open
        .file_deleted(path) -> None
        .document(path) -> Document | None     # open buffer, else parsed disk copy
        .is_open(path) -> bool
        .paper(paper_id: str) -> Paper | None  # any version/URL form of the id
        .occurrences(paper_id: str) -> tuple[Occurrence, ...]
        .listings(paper_id: str) -> list[Listing]  # each entry and JSONL line as written, newest day first
        .search_papers(query: str, limit: int) -> tuple[list[PaperHit], bool]
        .search_authors(query: str, limit: int, context: NameContext | None = None) -> tuple[list[AuthorHit], bool]
            # ranked: the paper's own authors, typed words in order, this digest, this category,
            # frequency (powers of two), the last day seen; context.exclude = mentions not counted
        .author(name: str) -> Author | None    # by normalised name
        .papers_by_author(name: str) -> list[Paper]
        .author_occurrences(name: str) -> list[AuthorOccurrence]
        .category_count(category: str) -> int  # papers whose main category it is
        .workspace_symbols(query: str, limit: int) -> tuple[list[WorkspaceSymbol], int]
            # `au:NAME` (spaces allowed: the longest run of words naming someone), `cat:CAT`,
            # `id:PREFIX` or a bare id / id prefix / arXiv URL, the rest title words; the open
            # documents' papers first; the int = how many more papers matched than are listed
        .digest_paths() -> list[str]; .metadata_paths() -> list[str]
        .close() -> None
    ScanReport(files: int, digests: int, metadata_files: int, papers: int,
               parsed: int, from_cache: int, skipped: int, seconds: float,
               message: str | None, cancelled: bool)   # message: once, when a root is unsafe
    Occurrence(path: str, line: int, number: int | None, heading_length: int)
        # line = absolute heading line; .range -> Span of the heading line
    Paper(id, title, authors: tuple[str, ...], category: str | None,
          categories: tuple[str, ...], tldr, abstract, motivation, method,
          result, conclusion: str | None, occurrences: tuple[Occurrence, ...],
          metadata_path: str | None)   # .summary_field("TL;DR" | "Motivation" | ... | "Abstract")
    Author(name: str, normalized: str, spellings: tuple[tuple[str, int], ...],
           papers: tuple[str, ...], count: int)   # name = most frequent spelling
    AuthorOccurrence(path: str, range: Span, name: str, paper_id: str | None)
    Listing(kind: "digest"|"metadata", path, date: str | None, line, number, heading_length, title,
            version: int | None, authors, category, categories, fields)   # .field(label), .occurrence
    NameContext(exclude: tuple[str, ...], paper_id: str | None, path: str | None, category: str | None)
    PaperHit(paper: Paper, score: float)
    AuthorHit(name: str, normalized: str, score: float, count: int)
    WorkspaceSymbol(name: str, detail: str, path: str, range: Span,
                    container: str | None, paper_id: str)
    normalize_name(name: str) -> str          # casefold, strip diacritics, collapse spaces
    date_of(path: str) -> str | None         # YYYY-MM-DD in a file name
    canonical_id(text: str) -> str | None      # id, `arXiv:ID` or arXiv URL -> id without version
    is_unsafe_root(path: Path) -> bool        # home directory or filesystem root

digest_ls.features.markdown
---------------------------
    escape_markdown(text: str) -> str          # Markdown specials + raw HTML neutralised
    escape_inline(text: str) -> str            # the same on one line
    link(label: str, url: str) -> str          # only https:// and file:// URLs become links
    truncate(text: str, limit: int) -> str
    plain_text(markdown: str) -> str           # what a reader sees, for clients without Markdown (markdown-it-py)

digest_ls.features.symbols
--------------------------
    SymbolNode(name: str, detail: str, kind: "toc"|"section"|"entry"|"field",
               range: Span, selection_range: Span, children: tuple[SymbolNode, ...])
    document_symbols(document) -> list[SymbolNode]
    FlatSymbol(name, detail, kind, range: Span, container: str | None)
    flat_symbols(document) -> list[FlatSymbol]

digest_ls.features.hover
------------------------
    HoverCard(markdown: str, range: Span)
    hover(document, line, col, index: WorkspaceIndex | None, config: Config,
          path: str | None = None) -> HoverCard | None
    paper_card(paper_id: str, index: WorkspaceIndex | None, config, document: Document | None = None,
               path: str | None = None, block: int | None = None) -> str | None
        # one listing as written (the entry at `block`, else this document's, else the most recent),
        # gaps filled from a JSONL line of the same day, then the other days with what differs
    rule_markdown(code_text: str) -> str | None

digest_ls.features.completion
-----------------------------
    CompletionItem(label, kind: "paper"|"author"|"category"|"field"|"snippet",
                   detail: str, insert_text: str, is_snippet: bool,
                   replace_range: Span, filter_text: str, sort_text: str,
                   data: dict | None)   # data = {"paper": id} on paper items
    CompletionResult(items: tuple[CompletionItem, ...], incomplete: bool)
    complete(document, line, col, index: WorkspaceIndex | None, config, path: str | None = None) -> CompletionResult
        # path: the buffer's, so that the name being typed is not offered as a candidate
    resolve_paper_card(index, paper_id: str, config) -> str | None   # Markdown for completionItem/resolve

digest_ls.features.cite
-----------------------
    Reference(key: str, arxiv_id: ArxivId, title, authors, category, year: int, month: int)   # .url
    entries_in(document, span: Span) -> list[int]       # entry blocks a range touches
    entries_for(document, paper_ids) -> list[int]       # the first entry of each paper
    reference(document, block_index: int) -> Reference | None
    references_at(document, block_indices) -> list[Reference]
    citation_text(items: list[Reference], format: "bibtex"|"csl-json") -> str
    bibtex_entry(item: Reference) -> str; csl_item(item: Reference) -> dict; csl_name(name: str) -> dict
    CITATION_COMMAND = "digest-ls.citation"   # workspace/executeCommand: {uri, format, papers | range}

digest_ls.features.navigation
-----------------------------
    Location(path: str | None, range: Span)         # a NamedTuple
    Highlight(range: Span, kind: "text"|"read"|"write")
    definition(document, line, col, index: WorkspaceIndex | None, path: str | None = None) -> list[Location]
    references(document, line, col, index: WorkspaceIndex | None, path: str | None = None,
               include_declaration: bool = True) -> list[Location]
    document_highlight(document, line, col) -> list[Highlight]

digest_ls.features.structure
----------------------------
    FoldingRange(start_line: int, end_line: int, kind: "region"|"comment"|None)
    folding_ranges(document) -> list[FoldingRange]
    DocumentLink(range: Span, url: str | None, target_line: int | None, tooltip: str)
        # url for arXiv links; target_line (same document) for TOC anchors
    document_links(document) -> list[DocumentLink]
    SelectionRange(range: Span, parent: SelectionRange | None)
    selection_ranges(document, positions: list[tuple[int, int]]) -> list[SelectionRange]

digest_ls.features.editing
--------------------------
    CodeAction(title: str, kind: "quickfix"|"refactor.rewrite"|"source.fixAll"|"cite",
               edits: tuple[Edit, ...], diagnostics: tuple[Diagnostic, ...],
               is_preferred: bool, command: Command | None)   # edits: absolute, this document only
    Command(name: str, arguments: dict)
    citation_actions(document, range: Span) -> list[CodeAction]   # "Copy BibTeX / CSL-JSON citation"
    code_actions(document, range: Span, diagnostics: Sequence[Diagnostic],
                 index: WorkspaceIndex | None, config) -> list[CodeAction]
    toc_edits(document) -> list[Edit]                 # regenerate the TOC
    renumber_edits(document) -> list[Edit]
    fill_entry_edits(document, block_index: int, paper: Paper) -> list[Edit]
    RenameTarget(kind: "author"|"category", range: Span, text: str)
    prepare_rename(document, line, col) -> RenameTarget | None
    rename_author(index, old: str, new: str) -> dict[str, list[Edit]]
        # every spelling with normalize_name(old), in open buffers and on disk
    rename_category(document, old: str, new: str) -> list[Edit]
        # TOC item text and anchor, section anchor and heading, `Main category:` lines
"""
