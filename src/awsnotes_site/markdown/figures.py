"""Figures: Hugo notes' ``<img>`` + ``<figcaption>`` idiom, titled Markdown images and the
``figure`` shortcode all become the same valid ``<figure>`` markup."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import RenderEnv, get_env
from awsnotes_site.markdown.html_tokens import (
    Event,
    events_text,
    join,
    keep_events,
    kept_events,
    plain_text,
    serialize_start,
    tokenize,
)

RESIDUE_CLASSES = frozenset({"__web-inspector-hide-shortcut__"})
ZOOM_CLASS = "img-zoomable"


@dataclass
class Figure:
    src: str
    alt: str = ""
    caption_html: str = ""
    title: str = ""
    link: str = ""
    width: str = ""
    height: str = ""
    img_classes: list[str] = field(default_factory=list)
    figure_classes: list[str] = field(default_factory=list)
    extra_attrs: list[tuple[str, str | None]] = field(default_factory=list)
    caption_text: str = ""  # plain text of the caption, when already known


def clean_classes(value: str | None) -> list[str]:
    return [c for c in (value or "").split() if c not in RESIDUE_CLASSES]


def figure_html(fig: Figure) -> str:
    """The one figure markup every figure source shares."""
    return "".join(e.raw for e in figure_events(fig))


def figure_events(
    fig: Figure, trailing_newline: bool = True, caption: list[Event] | None = None
) -> list[Event]:
    """:func:`figure_html` as the events :func:`tokenize` reads from it (the same tags and
    attributes, and raw texts that join to the same markup; text may be split
    differently), made without parsing it again: later rules (responsive images) go on
    from these events. ``caption``: the events ``fig.caption_html`` was joined from,
    used when they spell it exactly."""
    alt = fig.alt or fig.caption_text or plain_text(fig.caption_html).strip()
    classes = fig.img_classes or [ZOOM_CLASS]
    attrs: list[tuple[str, str | None]] = [("src", fig.src), ("alt", alt)]
    attrs.append(("class", " ".join(dict.fromkeys(classes))))
    if fig.title:
        attrs.append(("title", fig.title))
    if fig.width:
        attrs.append(("width", fig.width))
    if fig.height:
        attrs.append(("height", fig.height))
    attrs.extend(fig.extra_attrs)
    attrs.extend([("loading", "lazy"), ("decoding", "async")])
    img = Event("start", serialize_start("img", attrs), "img", attrs)
    fclass = " ".join(["figure", *fig.figure_classes])
    events = [_start("figure", [("class", fclass)]), Event("data", "\n")]
    if fig.link:
        events += [_start("a", [("href", fig.link)]), img, Event("end", "</a>", "a")]
    else:
        events.append(img)
    if fig.caption_html:
        events += [Event("data", "\n"), Event("start", "<figcaption>", "figcaption", [])]
        if caption is None or join(caption) != fig.caption_html:
            caption = tokenize(fig.caption_html)
        events += caption
        events.append(Event("end", "</figcaption>", "figcaption"))
    events += [Event("data", "\n"), Event("end", "</figure>", "figure")]
    if trailing_newline:
        events.append(Event("data", "\n"))
    return events


def _start(tag: str, attrs: list[tuple[str, str | None]]) -> Event:
    return Event("start", serialize_start(tag, attrs), tag, attrs)


def _img_figure(img: Event, caption_events: list[Event], caption_open: Event) -> Figure:
    attrs = [
        (k, v)
        for k, v in img.attrs
        if k
        not in ("src", "alt", "class", "title", "width", "height", "loading", "decoding", "align")
    ]
    figure_classes: list[str] = []
    for source in (img, caption_open):
        align = source.get("align")
        if align:
            figure_classes.append(f"align-{align.strip().lower()}")
    return Figure(
        src=img.get("src") or "",
        alt=(img.get("alt") or "").strip(),
        caption_html="".join(e.text() for e in caption_events).strip(),
        caption_text=events_text(caption_events).strip(),
        title=img.get("title") or "",
        width=img.get("width") or "",
        height=img.get("height") or "",
        img_classes=clean_classes(img.get("class")),
        figure_classes=figure_classes,
        extra_attrs=attrs,
    )


def rewrite_figures(
    source: str, env: RenderEnv, line: int | None, events: list[Event] | None = None
) -> list[Event] | None:
    """Wrap each ``<img>`` followed by a ``<figcaption>`` in one ``<figure>``: the events of
    the new markup (None when ``source`` has neither tag and is kept as it is).

    Images already inside a ``<figure>`` are left alone; a lone ``<img>`` gets lazy
    loading, residue classes dropped, and an empty ``alt`` with a warning when it has none.
    """
    lowered = source.lower()
    if "<img" not in lowered and "<figcaption" not in lowered:
        return None
    if events is None:
        events = tokenize(source)
    out: list[Event] = []
    depth_figure = 0
    i = 0
    while i < len(events):
        ev = events[i]
        if ev.kind == "start" and ev.tag == "figure":
            depth_figure += 1
        elif ev.kind == "end" and ev.tag == "figure":
            depth_figure = max(0, depth_figure - 1)
        if ev.kind == "start" and ev.tag == "img" and depth_figure == 0:
            j = i + 1
            while j < len(events) and events[j].kind == "data" and not events[j].raw.strip():
                j += 1
            if j < len(events) and events[j].kind == "start" and events[j].tag == "figcaption":
                k = j + 1
                nest = 1
                while k < len(events):
                    if events[k].tag == "figcaption":
                        nest += (
                            1 if events[k].kind == "start" else -1 if events[k].kind == "end" else 0
                        )
                        if nest == 0:
                            break
                    k += 1
                caption = events[j + 1 : k]
                fig = _img_figure(ev, caption, events[j])
                out += figure_events(fig, trailing_newline=False, caption=caption)
                i = k + 1
                continue
            _polish_lone_img(ev, env, line)
        out.append(ev)
        i += 1
    return out


def _polish_lone_img(ev: Event, env: RenderEnv, line: int | None) -> None:
    classes = clean_classes(ev.get("class"))
    if ev.get("class") is not None and classes != (ev.get("class") or "").split():
        if classes:
            ev.set("class", " ".join(classes))
        else:
            ev.remove("class")
    if ev.get("alt") is None:
        env.report(
            Severity.WARNING,
            line,
            f"image {ev.get('src')!r} has no alt text",
            hint='add alt="what the image shows"',
        )
        ev.set("alt", "")
    align = ev.get("align")
    if align is not None:
        ev.remove("align")
        ev.set("class", " ".join([*classes, f"align-{align.lower()}"]))
    if ev.get("loading") is None:
        ev.set("loading", "lazy")
        ev.set("decoding", "async")


def _titled_image_paragraph(tokens: Sequence[Token], i: int) -> Token | None:
    if tokens[i].type != "paragraph_open" or i + 2 >= len(tokens):
        return None
    inline = tokens[i + 1]
    if "![" not in inline.content:  # no image syntax in the paragraph's source
        return None
    children = [
        c for c in (inline.children or []) if not (c.type == "text" and not c.content.strip())
    ]
    if tokens[i + 2].type != "paragraph_close" or len(children) != 1:
        return None
    image = children[0]
    if image.type != "image" or not image.attrGet("title"):
        return None
    return image


def _rewrite_token(token: Token, env: RenderEnv, line: int | None) -> None:
    events = rewrite_figures(token.content, env, line, kept_events(token))
    if events is not None:
        keep_events(token, events)


def figures_plugin(md: MarkdownIt) -> None:
    def rule(state: StateCore) -> None:
        env = get_env(state.env)
        tokens = state.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "inline":
                line = None
                for child in token.children or ():
                    if child.type == "html_inline":
                        if line is None:
                            line = env.file_line(token.map[0] if token.map else None)
                        _rewrite_token(child, env, line)
            elif kind == "html_block":
                _rewrite_token(token, env, env.file_line(token.map[0] if token.map else None))
            elif kind == "paragraph_open":
                image = _titled_image_paragraph(tokens, i)
                if image is not None:
                    fig = Figure(
                        src=str(image.attrGet("src") or ""),
                        alt=image.content,
                        caption_html=html.escape(str(image.attrGet("title") or "")),
                    )
                    block = Token("html_block", "", 0, content=figure_html(fig), map=token.map)
                    tokens[i : i + 3] = [block]
            i += 1

    md.core.ruler.push("awsnotes_figures", rule)
