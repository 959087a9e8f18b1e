"""The objects a shortcode template sees: the shortcode (dot), its page and the site.

The caller fills these dataclasses; templates reach them with Hugo's names
(``.Get``, ``.Inner``, ``.Page.Title``, ``.Site.Params.x``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .scratch import Scratch
from .values import HTML, GoObject, Params


def _params(values: Mapping[str, Any]) -> Params:
    return values if isinstance(values, Params) else Params(values)


@dataclass
class Language(GoObject):
    lang: str = ""
    language_code: str = ""
    language_name: str = ""

    go_type = "*langs.Language"
    go_fields: ClassVar[dict[str, str]] = {"Lang": "", "LanguageCode": "", "LanguageName": ""}

    def go_string(self) -> str:
        return self.lang

    def go_field(self, name: str, args: list[Any]) -> Any:
        if args:
            raise TypeError(f"{name} is not a method but has arguments")
        values = {"Lang": self.lang, "LanguageCode": self.language_code}
        values["LanguageName"] = self.language_name
        if name in values:
            return values[name]
        raise LookupError(name)


@dataclass
class Site(GoObject):
    title: str = ""
    base_url: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    language_code: str = ""
    lang: str = ""
    language_name: str = ""

    go_type = "*hugolib.Site"
    go_fields: ClassVar[dict[str, str]] = {
        "Title": "",
        "BaseURL": "",
        "Params": "",
        "LanguageCode": "",
        "Language": "Language",
    }

    @property
    def language(self) -> Language:
        return Language(self.lang, self.language_code, self.language_name)

    def go_field(self, name: str, args: list[Any]) -> Any:
        if args:
            raise TypeError(f"{name} is not a method but has arguments")
        if name == "Language":
            return self.language
        if name == "Title":
            return self.title
        if name == "BaseURL":
            return self.base_url
        if name == "Params":
            return _params(self.params)
        if name == "LanguageCode":
            return self.language_code
        raise LookupError(name)


@dataclass
class Page(GoObject):
    title: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    permalink: str = ""
    rel_permalink: str = ""
    section: str = ""
    kind: str = "page"
    site: Site = field(default_factory=Site)
    path: str = ""
    # One per page: shortcodes of the same page share it (``.Page.Scratch``/``.Page.Store``).
    scratch: Scratch = field(default_factory=Scratch)

    go_type = "*hugolib.pageState"
    go_fields: ClassVar[dict[str, str]] = {
        "Title": "",
        "Params": "",
        "Param": "",
        "Permalink": "",
        "RelPermalink": "",
        "Section": "",
        "Kind": "",
        "Site": "Site",
        "Path": "",
        "Scratch": "Scratch",
        "Store": "Scratch",
        "RenderString": "",
        "Ref": "",
        "RelRef": "",
        "Lang": "",
        "Language": "Language",
    }

    def go_string(self) -> str:
        return f"Page({self.rel_permalink})"

    def go_field(self, name: str, args: list[Any]) -> Any:
        if name == "Param":
            if len(args) != 1:
                raise TypeError(f"wrong number of args for Param: want 1 got {len(args)}")
            found, value = _params(self.params).lookup(str(args[0]))
            return value if found else _params(self.site.params).lookup(str(args[0]))[1]
        if args:
            raise TypeError(f"{name} is not a method but has arguments")
        attr = _PAGE_ATTRS.get(name)
        if attr is not None:
            return getattr(self, attr)
        if name == "Lang":
            return self.site.lang
        if name == "Language":
            return self.site.language
        if name == "Params":
            return _params(self.params)
        raise LookupError(name)


@dataclass
class Shortcode(GoObject):
    """The dot of a shortcode template.

    ``params`` is a mapping for named parameters (``{{< x a="1" >}}``) or a sequence for
    positional ones (``{{< x "1" >}}``; also for none at all, as in Hugo).  Values are
    typed as Hugo types them: quoted -> str, unquoted int/float/bool literals -> int,
    float, bool.  ``inner`` is the content between the tags
    (already rendered for ``{{% %}}``), or None for a shortcode without a closing tag.
    Nested shortcodes run first, as in Hugo: render each child with ``parent`` set to this
    object (so ``.Parent.Scratch`` reaches it), put their output into ``inner``, then
    render this one.
    """

    name: str = ""
    params: Mapping[str, Any] | Sequence[Any] = field(default_factory=list)
    inner: str | None = None
    page: Page = field(default_factory=Page)
    ordinal: int = 0
    position: str = ""
    parent: Shortcode | None = None
    scratch: Scratch = field(default_factory=Scratch)

    go_type = "*hugolib.ShortcodeWithPage"
    go_fields: ClassVar[dict[str, str]] = {
        "Get": "",
        "Params": "",
        "Inner": "",
        "InnerDeindent": "",
        "IsNamedParams": "",
        "Page": "Page",
        "Site": "Site",
        "Ordinal": "",
        "Parent": "Shortcode",
        "Name": "",
        "Position": "",
        "Scratch": "Scratch",
        "Store": "Scratch",
    }

    @property
    def is_named(self) -> bool:
        return isinstance(self.params, Mapping)

    def get(self, key: Any) -> Any:
        """Hugo's ``.Get``: by name or by position; "" when missing, nil on a kind mismatch."""
        params = self.params
        if not params:
            return None
        if isinstance(key, int) and not isinstance(key, bool):
            if isinstance(params, Mapping):
                return None
            return params[key] if 0 <= key < len(params) else ""
        if isinstance(key, str):
            if not isinstance(params, Mapping):
                return None
            return params.get(key, "")
        raise TypeError(f"Get: key must be a string or an int, not {type(key).__name__}")

    def go_field(self, name: str, args: list[Any]) -> Any:
        if name == "Get":
            if len(args) != 1:
                raise TypeError(f"wrong number of args for Get: want 1 got {len(args)}")
            return self.get(args[0])
        if args:
            raise TypeError(f"{name} is not a method but has arguments")
        attr = _SHORTCODE_ATTRS.get(name)
        if attr is not None:
            return getattr(self, attr)
        if name == "Params":
            return self.params if isinstance(self.params, (Mapping, list)) else list(self.params)
        if name in ("Inner", "InnerDeindent"):
            return HTML(self.inner or "")
        if name == "Site":
            return self.page.site
        raise LookupError(name)


_SHORTCODE_ATTRS = {
    "IsNamedParams": "is_named",
    "Page": "page",
    "Ordinal": "ordinal",
    "Parent": "parent",
    "Name": "name",
    "Position": "position",
    "Scratch": "scratch",
    "Store": "scratch",
}

_PAGE_ATTRS = {
    "Title": "title",
    "Permalink": "permalink",
    "RelPermalink": "rel_permalink",
    "Section": "section",
    "Kind": "kind",
    "Site": "site",
    "Path": "path",
    "Scratch": "scratch",
    "Store": "scratch",
}
