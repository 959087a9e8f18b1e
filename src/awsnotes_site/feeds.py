"""Atom and RSS feeds, sitemap.xml and robots.txt, with absolute URLs from ``base_url``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape as _html_escape

from awsnotes_site.config import SiteConfig


def escape(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped (as ``xml.sax.saxutils``)."""
    return _html_escape(text, quote=False)


FEED_LIMIT = 20


class FeedItem:
    def __init__(
        self,
        title: str,
        url: str,
        date: dt.datetime | None,
        updated: dt.datetime | None,
        summary: str,
        content_html: str,
        tags: Sequence[str],
    ) -> None:
        self.title = title
        self.url = url
        self.date = date
        self.updated = updated or date
        self.summary = summary
        self.content_html = content_html
        self.tags = list(tags)


def _epoch() -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def atom(
    config: SiteConfig, items: Sequence[FeedItem], feed_url: str, page_url: str, title: str
) -> str:

    items = list(items)[:FEED_LIMIT]
    updated = max((i.updated or _epoch() for i in items), default=_epoch())
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(config.language)}">',
        f"<title>{escape(title)}</title>",
        f'<link href="{escape(feed_url)}" rel="self" type="application/atom+xml"/>',
        f'<link href="{escape(page_url)}" rel="alternate" type="text/html"/>',
        f"<id>{escape(page_url)}</id>",
        f"<updated>{updated.isoformat()}</updated>",
    ]
    if config.author:
        out.append(f"<author><name>{escape(config.author)}</name></author>")
    for item in items:
        out += [
            "<entry>",
            f"<title>{escape(item.title)}</title>",
            f'<link href="{escape(item.url)}" rel="alternate" type="text/html"/>',
            f"<id>{escape(item.url)}</id>",
            f"<published>{(item.date or _epoch()).isoformat()}</published>",
            f"<updated>{(item.updated or _epoch()).isoformat()}</updated>",
            *[f'<category term="{_attr(t)}"/>' for t in item.tags],
            f"<summary>{escape(item.summary)}</summary>",
            *(
                [f'<content type="html">{escape(item.content_html)}</content>']
                if item.content_html
                else []
            ),
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _attr(text: str) -> str:
    return _html_escape(text, quote=True).replace("&#x27;", "'")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_datetime(when: dt.datetime) -> str:
    """RFC 2822 date for RSS, as ``email.utils.format_datetime`` writes it (importing
    ``email.utils`` cost ~12 ms of a one-note rebuild; a test compares the two)."""
    zone = "-0000" if when.tzinfo is None else when.strftime("%z")
    return (
        f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} {when.year:04d} "
        f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} {zone}"
    )


def rss(
    config: SiteConfig, items: Sequence[FeedItem], feed_url: str, page_url: str, title: str
) -> str:
    items = list(items)[:FEED_LIMIT]
    updated = max((i.updated or _epoch() for i in items), default=_epoch())
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(page_url)}</link>",
        f"<description>{escape(config.description or title)}</description>",
        f"<language>{escape(config.language)}</language>",
        f"<lastBuildDate>{format_datetime(updated)}</lastBuildDate>",
        f'<atom:link href="{escape(feed_url)}" rel="self" type="application/rss+xml"/>',
    ]
    for item in items:
        out += [
            "<item>",
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.url)}</link>",
            f'<guid isPermaLink="true">{escape(item.url)}</guid>',
            f"<pubDate>{format_datetime(item.date or _epoch())}</pubDate>",
            *[f"<category>{escape(t)}</category>" for t in item.tags],
            f"<description>{escape(item.content_html or item.summary)}</description>",
            "</item>",
        ]
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def sitemap(entries: Sequence[tuple[str, dt.datetime | None]]) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        out.append("<url>")
        out.append(f"<loc>{escape(url)}</loc>")
        if lastmod:
            out.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
        out.append("</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n"
