"""escape_markdown and the link/truncate helpers: digest text must render as written."""

from digest_ls.features.markdown import code, escape_inline, escape_markdown, link, truncate


def test_inline_syntax_is_escaped():
    assert escape_markdown("a *b* _c_ `d`") == r"a \*b\* \_c\_ \`d\`"
    assert escape_markdown("[x](command:workbench.action.quit)") == r"\[x\](command:workbench.action.quit)"
    assert escape_markdown("$x^2$ | ~~y~~") == r"\$x^2\$ \| \~\~y\~\~"


def test_raw_html_and_entities_are_neutralised():
    assert escape_markdown("<think>hidden</think>") == r"\<think\>hidden\</think\>"
    assert escape_markdown("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert(1)\>"
    assert escape_markdown("&amp; &#60;") == r"\&amp; \&#60;"


def test_block_markers_at_line_starts_are_escaped():
    assert escape_markdown("# Not a heading\n- not a list\n+ nor this\n12. nor this\n> nor a quote\n=== nor") == (
        "\\# Not a heading\n\\- not a list\n\\+ nor this\n12\\. nor this\n\\> nor a quote\n\\=== nor"
    )
    assert escape_markdown("a - b. 3. c") == "a - b. 3. c"  # only at the start of a line


def test_control_characters_and_spaces():
    assert escape_markdown("\x0crac{a}{b}\tand  more") == "rac{a}{b} and more"
    assert escape_inline("two\nlines") == "two lines"


def test_links_only_for_https_and_file_urls():
    assert link("abs", "https://arxiv.org/abs/2601.00101") == "[abs](https://arxiv.org/abs/2601.00101)"
    assert link("evil", "command:workbench.action.quit") == "evil"
    assert link("js", "javascript:alert(1)") == "js"
    assert link("a]b", "https://x.org/a b)") == r"[a\]b](https://x.org/a%20b%29)"
    assert link("f", "file:///tmp/a.md#L3") == "[f](file:///tmp/a.md#L3)"


def test_code_and_truncate():
    assert code("cs.DC") == "`cs.DC`"
    assert code("a`b") == "`a'b`"
    assert truncate("one two three four", 9) == "one two …"
    assert truncate("short", 100) == "short"
    assert truncate("abcdefghijklmnop", 5) == "abcde …"


# --- plain text for clients without Markdown ---------------------------------------------------------

from digest_ls.features.markdown import plain_text  # noqa: E402


def test_plain_text_shows_escaped_text_as_written():
    text = "A *Starred* [Title] with <think> & $x^2$ | ~~y~~ `code` _z_ \\ back"
    assert plain_text(escape_markdown(text)) == " ".join(text.split())
    assert plain_text(f"### {escape_inline('# Not a heading')}") == "# Not a heading"


def test_plain_text_keeps_blocks_apart_and_list_markers():
    markdown = "### Title\n\n`2601.00101` · **TL;DR:** short\n\n**Also listed on**\n- one\n- two\n\n1. a\n2. b"
    assert plain_text(markdown) == "Title\n\n2601.00101 · TL;DR: short\n\nAlso listed on\n\n- one\n- two\n\n1. a\n2. b"


def test_plain_text_links_keep_https_urls_and_drop_file_ones():
    markdown = f"{link('abs', 'https://arxiv.org/abs/2601.00101')} · {link('2026-01-10.md [1]', 'file:///w/2026-01-10.md#L13')}"
    assert plain_text(markdown) == "abs <https://arxiv.org/abs/2601.00101> · 2026-01-10.md [1]"


def test_plain_text_of_a_fenced_block_is_its_content():
    assert plain_text("Bad:\n\n```markdown\n### [1] [T](x)\n*A*\n```") == "Bad:\n\n### [1] [T](x)\n*A*"
