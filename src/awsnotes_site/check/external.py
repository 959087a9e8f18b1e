"""External links (only with ``check --external``): each URL fetched once, a few at a time,
and a problem reported at every place that uses one that does not answer below 400."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

from awsnotes_site.diagnostics import Diagnostic, error

EXTERNAL_TIMEOUT = 10.0
EXTERNAL_WORKERS = 8
USER_AGENT = "awsnotes-site-check/0.1"


def _ascii_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        host = parts.hostname or ""
        idna = host.encode("idna").decode("ascii")
        netloc = netloc.replace(host, idna)
    rest = quote(url[len(f"{parts.scheme}://{parts.netloc}") :], safe=":/?#[]@!$&'()*+,;=%~")
    return f"{parts.scheme}://{netloc}{rest}"


def fetch(url: str, timeout: float = EXTERNAL_TIMEOUT) -> str | None:
    """None when URL answers below 400 (HEAD, then GET if HEAD fails); else the reason."""
    try:
        target = _ascii_url(url)
    except (UnicodeError, ValueError) as exc:
        return f"bad URL ({exc})"
    problem: str | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            target, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return None
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code} {exc.reason}".strip()
            exc.close()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = f"cannot fetch: {reason}"
            if "timed out" in str(reason):
                return f"no answer within {timeout:g} s"
    return problem


def check_external(
    urls: Mapping[str, Sequence[tuple[str, int | None]]],
    fetcher: Callable[[str], str | None] = fetch,
    workers: int = EXTERNAL_WORKERS,
) -> list[Diagnostic]:
    """Fetch each external URL once (at most WORKERS at a time); a problem per place."""
    if not urls:
        return []
    ordered = sorted(urls)

    def safely(url: str) -> str | None:
        try:
            return fetcher(url)
        except Exception as exc:  # a bug in one fetch must not hide the others
            return f"cannot fetch: {exc!r}"

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(ordered)))) as pool:
        results = list(pool.map(safely, ordered))
    problems: list[Diagnostic] = []
    for url, result in zip(ordered, results, strict=True):
        if result is None:
            continue
        for path, line in dict.fromkeys(urls[url]):
            problems.append(error(path, line, f"external link {url}: {result}"))
    return problems
