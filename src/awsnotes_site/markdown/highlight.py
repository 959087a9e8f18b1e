"""Code highlighting with Pygments, taking every option Hugo's ``highlight`` takes.

Markup follows Hugo/Chroma (``div.highlight > pre.chroma > code``, ``span.line``,
``span.ln`` for line numbers) with CSS classes only; line numbers sit in elements
a reader's selection and the copy button skip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import Any

from pygments import lex
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, find_lexer_class_by_name, guess_lexer
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from awsnotes_site.markdown.code_options import (
    BOOL,
    IGNORED_OPTIONS,
    KNOWN_OPTIONS,
    CodeOptions,
    HighlightDefaults,
    OptionError,
    highlight_defaults,
    parse_hl_lines,
    parse_options,
    split_options,
    unknown_message,
)
from awsnotes_site.markdown.context import RenderEnv
from awsnotes_site.markdown.speedups.fastlex import accelerate, lazy_lexer

__all__ = [  # the options moved to code_options.py; these names stay importable here
    "BOOL",
    "IGNORED_OPTIONS",
    "KNOWN_OPTIONS",
    "CodeOptions",
    "HighlightDefaults",
    "OptionError",
    "highlight_defaults",
    "parse_hl_lines",
    "parse_options",
    "split_options",
    "unknown_message",
]

_ALIASES = {
    "shell": "bash",
    "sh": "bash",
    "zsh": "bash",
    "terraform": "terraform",
    "tf": "terraform",
    "yml": "yaml",
    "conf": "ini",
    "dockerfile": "docker",
    "plaintext": "text",
    "txt": "text",
    "": "text",
    "none": "text",
    "mermaid": "text",
}


@lru_cache(maxsize=256)
def get_lexer(lang: str) -> Lexer | None:
    """A cached lexer for ``lang``; None when Pygments does not know it."""
    name = _ALIASES.get(lang.lower(), lang.lower())
    try:
        cls = find_lexer_class_by_name(name)  # (not made yet: see lazy_lexer)
    except ClassNotFound:
        return None
    return accelerate(lazy_lexer(cls)(stripnl=False, ensurenl=True))


_TEXT: Lexer = TextLexer(stripnl=False, ensurenl=True)


def _short_class(ttype: _TokenType) -> str:
    name = STANDARD_TYPES.get(ttype)
    suffix = ""
    node: _TokenType | None = ttype
    while name is None and node is not None:
        suffix = "-" + node[-1] + suffix
        node = node.parent
        name = STANDARD_TYPES.get(node) if node is not None else ""
    return (name or "") + suffix


@lru_cache(maxsize=1024)
def css_class(ttype: _TokenType) -> str:
    """The CSS classes Pygments' HtmlFormatter gives a token type: its short name, led
    by its parents' for subtypes without one (``l l-Scalar l-Scalar-Plain``)."""
    classes = _short_class(ttype)
    node: _TokenType | None = ttype
    while node is not None and node not in STANDARD_TYPES:
        node = node.parent
        if node is not None:
            classes = _short_class(node) + " " + classes
    return classes


_CLASSES: dict[_TokenType, str] = {}


def _token_stream(code: str, lexer: Lexer) -> Iterable[tuple[Any, Any, str]]:
    """``(index, type, value)`` of ``code``: what ``pygments.lex`` gives (the index aside),
    without the per-token generator of ``Lexer.get_tokens`` when a lexer uses that method
    and has no filters (it only preprocesses the text and drops the index)."""
    preprocess = getattr(lexer, "_preprocess_lexer_input", None)
    if lexer.filters or preprocess is None or type(lexer).get_tokens is not Lexer.get_tokens:
        return ((0, t, v) for t, v in lex(code, lexer))
    return lexer.get_tokens_unprocessed(preprocess(code))


_END = object()  # a token type after the last token: it closes the last run


def highlight_lines(code: str, lexer: Lexer) -> list[str]:
    """Highlighted HTML, one string per source line; spans never cross lines, adjacent
    tokens of one class share a span (empty tokens do not break a run). Our own markup
    (not HtmlFormatter's), so the output does not change with Pygments' formatter
    details."""
    pieces: list[str] = []  # escaped HTML, "\n" between lines
    append = pieces.append
    classes = _CLASSES
    run_class = ""
    run = ""
    for _, ttype, value in chain(_token_stream(code, lexer), ((0, _END, "\0"),)):
        if not value:
            continue
        cls = classes.get(ttype)
        if cls is None:
            cls = classes[ttype] = css_class(ttype) if ttype is not _END else "\0"
        if cls == run_class:
            run += value
            continue
        if run:  # close the run: one span per line it touches
            text = run.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if not run_class:
                append(text)
            elif "\n" not in text:
                append(f'<span class="{run_class}">{text}</span>')
            else:
                append(
                    "\n".join(
                        f'<span class="{run_class}">{part}</span>' if part else ""
                        for part in text.split("\n")
                    )
                )
        run_class, run = cls, value
    lines = "".join(pieces).split("\n")
    if lines[-1] == "":
        lines.pop()  # the text after the last newline, when there is none
    return lines


def guessed_lexer(code: str) -> Lexer:
    """Pygments' guess for code written without a language (``guessSyntax``)."""
    try:
        return accelerate(guess_lexer(code, stripnl=False, ensurenl=True))
    except ClassNotFound:  # pragma: no cover - guess_lexer falls back to text itself
        return _TEXT


def render_code(
    code: str,
    lang: str,
    opts: CodeOptions,
    env: RenderEnv | None,
    line: int | None = None,
    *,
    guess: bool = False,
) -> str:
    """Render one code block (or inline code when ``hl_inline``); ``guess``: guess the
    language of code without one."""
    lexer = get_lexer(lang) if lang else guessed_lexer(code) if guess else _TEXT
    if lexer is None:
        if env is not None:
            from awsnotes_site.diagnostics import Severity

            env.report(
                Severity.WARNING, line, f"unknown code language {lang!r}; shown as plain text"
            )
        lexer = _TEXT
    lang_attr = html.escape(lang, quote=True)
    if opts.hl_inline:
        body = "".join(highlight_lines(code.strip("\n"), lexer))
        return f'<code class="code-inline language-{lang_attr}">{body}</code>'
    if not code.endswith("\n"):
        code += "\n"
    lines = highlight_lines(code, lexer)
    index = 0
    if env is not None:
        env.code_blocks += 1
        index = env.code_blocks
    prefix = opts.lineanchors or (f"code{index}" if opts.anchorlinenos else "")
    number_cells: list[str] = []
    code_lines: list[str] = []
    for n, text in enumerate(lines, start=1):
        shown = opts.linenostart + n - 1
        line_id = f"{prefix}-{shown}" if prefix else ""
        num = str(shown)
        if opts.anchorlinenos and line_id:
            num = f'<a href="#{line_id}" class="lnlinks">{shown}</a>'
        hl = " hl" if n in opts.hl_lines else ""
        id_attr = f' id="{line_id}"' if line_id else ""
        hidden = "" if opts.anchorlinenos else ' aria-hidden="true"'
        if opts.linenos == "inline":
            code_lines.append(
                f'<span class="line{hl}"{id_attr}><span class="ln"{hidden}>{num}</span>'
                f'<span class="cl">{text}\n</span></span>'
            )
        else:
            code_lines.append(
                f'<span class="line{hl}"{id_attr}><span class="cl">{text}\n</span></span>'
            )
            if opts.linenos == "table":
                number_cells.append(f'<span class="lnt{hl}">{num}\n</span>')
    code_html = (
        f'<pre tabindex="0" class="chroma"><code class="language-{lang_attr}" '
        f'data-lang="{lang_attr}">{"".join(code_lines)}</code></pre>'
    )
    wrapper = html.escape(opts.wrapperclass or "highlight", quote=True)
    if opts.linenos == "table":
        return (
            f'<div class="{wrapper} has-linenos"><div class="chroma">'
            '<table class="lntable" role="presentation"><tr>'
            '<td class="lntd lnt-cell" aria-hidden="true"><pre class="chroma"><code>'
            f"{''.join(number_cells)}</code></pre></td>"
            f'<td class="lntd">{code_html}</td></tr></table></div></div>\n'
        )
    return f'<div class="{wrapper}">{code_html}</div>\n'


def stylesheet() -> str:
    """One stylesheet: a light theme, a dark theme for ``prefers-color-scheme`` and the toggle."""
    light = _style_defs("default", ".chroma")
    dark_style = "github-dark"
    try:
        dark = _style_defs(dark_style, ":root[data-theme='dark'] .chroma")
        dark_auto = _style_defs(dark_style, ":root:not([data-theme='light']) .chroma")
    except ClassNotFound:  # pragma: no cover - older Pygments
        dark = dark_auto = ""
    return (
        "/* Generated from Pygments styles 'default' (light) and 'github-dark' (dark). */\n"
        f"{_strip_backgrounds(light)}\n{_strip_backgrounds(dark)}\n"
        f"@media (prefers-color-scheme: dark) {{\n{_strip_backgrounds(dark_auto)}\n}}\n"
    )


def _style_defs(style: str, selector: str) -> str:
    formatter: Any = HtmlFormatter(style=style)
    return str(formatter.get_style_defs(selector))


def _strip_backgrounds(css: str) -> str:
    # Block backgrounds come from the site theme so that contrast is controlled there;
    # `.hll` and line-number rules from Pygments are replaced by our own markup.
    kept = []
    for rule in css.splitlines():
        if "pre {" in rule or "td.linenos" in rule or "span.linenos" in rule or ".hll" in rule:
            continue
        if re.match(
            r"^\S*\.chroma\s*\{\s*background",
            rule.replace(":root[data-theme='dark'] ", "").replace(
                ":root:not([data-theme='light']) ", ""
            ),
        ):
            continue
        kept.append(rule)
    return "\n".join(kept)


_FENCE_INFO = re.compile(r"^\s*([^\s{]*)\s*(?:\{(.*)\})?\s*$")


def fence_plugin(md: Any, defaults: HighlightDefaults | None = None) -> None:
    """Render fenced code through Pygments; ```` ```bash {linenos=true, hl_lines=[2]} ````.
    ``defaults`` are the site's options (Hugo's ``[markup.highlight]``); the highlight
    shortcode finds them in ``md.options["highlight_defaults"]``."""
    from markdown_it.token import Token

    from awsnotes_site.diagnostics import Severity
    from awsnotes_site.markdown.context import get_env

    site = defaults or highlight_defaults(None)
    md.options["highlight_defaults"] = site
    plain_fence = md.renderer.rules.get("fence")

    def render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        if not site.code_fences and plain_fence is not None:
            return str(plain_fence(tokens, idx, options, env))  # codeFences = false
        token = tokens[idx]
        state = get_env(env)
        line = state.file_line(token.map[0] if token.map else None)
        m = _FENCE_INFO.match(token.info or "")
        lang, attrs = (m.group(1), m.group(2) or "") if m else ((token.info or "").split()[0], "")
        unknown: list[str] = []
        try:
            opts = parse_options(split_options(attrs), site, unknown)
        except OptionError as exc:
            state.report(Severity.ERROR, line, f"code block: {exc}")
            opts = site.options
        if unknown:
            state.report(Severity.WARNING, line, f"code block: {unknown_message(unknown)}")
        return render_code(token.content, lang, opts, state, line, guess=site.guess_syntax)

    md.add_render_rule("fence", render_fence)
    md.add_render_rule(
        "code_block",
        lambda self, tokens, idx, options, env: render_code(
            tokens[idx].content, "", CodeOptions(), get_env(env)
        ),
    )
