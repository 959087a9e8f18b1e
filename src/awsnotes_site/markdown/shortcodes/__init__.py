"""Hugo shortcodes: ``{{< name args >}}``, ``{{% name %}}…{{% /name %}}``, self-closing
``{{< name />}}`` and comments ``{{</* name */>}}`` (printed literally).

One module per piece, wired here by :func:`shortcodes_plugin`:

- :mod:`.lexer`: a tag into a :class:`Tag` (``parse_tag``, ``find_closing``)
- :mod:`.block_rule`: shortcodes that stand on their own lines (``%`` inner content is
  parsed as Markdown blocks)
- :mod:`.inline_rule`: the rest, and comments
- :mod:`.ref_link`: ``[text]({{< ref "x" >}})`` links
- :mod:`.comments`: ``{{</* x */>}}`` in code and raw HTML printed as ``{{< x >}}``
- :mod:`.collapse`: lines for inline shortcodes, paired tokens folded into one

Fenced code and code spans are consumed by their own rules first, so shortcodes inside
them stay text (comments in them are printed as Hugo prints them). Rendering is done by
:mod:`awsnotes_site.markdown.registry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import get_env
from awsnotes_site.markdown.shortcodes.block_rule import make_block_rule
from awsnotes_site.markdown.shortcodes.collapse import set_lines_and_collapse
from awsnotes_site.markdown.shortcodes.comments import unescape_code_comments
from awsnotes_site.markdown.shortcodes.common import Registry
from awsnotes_site.markdown.shortcodes.inline_rule import make_inline_rule
from awsnotes_site.markdown.shortcodes.lexer import (
    ShortcodeSyntaxError,
    Tag,
    find_closing,
    parse_tag,
)
from awsnotes_site.markdown.shortcodes.ref_link import make_resolve_ref_links, ref_link_rule

__all__ = [
    "Registry",
    "ShortcodeSyntaxError",
    "Tag",
    "find_closing",
    "parse_tag",
    "shortcodes_plugin",
]


def shortcodes_plugin(md: MarkdownIt, registry: Registry) -> None:
    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        token = tokens[idx]
        meta = token.meta or {}
        state = get_env(env)
        line = state.file_line(meta.get("line"))
        if "error" in meta:
            state.report(Severity.ERROR, line, str(meta["error"]))
            return ""
        state.shortcodes.add(meta["tag"].name)
        return registry.render(md, token, options, env)

    md.inline.ruler.before("link", "shortcode_ref_link", ref_link_rule)
    md.core.ruler.after("inline", "shortcode_ref_links", make_resolve_ref_links(registry))
    md.core.ruler.after("shortcode_ref_links", "shortcode_comments", unescape_code_comments)
    # Before lheading: a line that is a shortcode is never a setext heading's text, so
    # `{{< highlight yaml >}}` followed by a `---` line stays a shortcode (issue 19).
    md.block.ruler.before(
        "lheading",
        "shortcode",
        make_block_rule(registry),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.after("text", "shortcode", make_inline_rule(registry))
    md.core.ruler.push("shortcode_collapse", set_lines_and_collapse)
    md.add_render_rule("shortcode", render)
