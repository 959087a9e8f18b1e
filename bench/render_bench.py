#!/usr/bin/env python3
"""Time Markdown rendering alone: every note of a project rendered serially, CPU time.

    python bench/corpus.py --notes 1000 --out /tmp/m1k
    python bench/render_bench.py /tmp/m1k                       # median CPU of 5 runs
    python bench/render_bench.py /tmp/m1k --digest before.txt   # + one digest line per note
    python bench/render_bench.py /tmp/m1k --fixtures --digest after.txt && diff before.txt after.txt

The published notes and the Markdown parser come from a first, untimed build of the
project (the parser the pipeline made, with its shortcodes, images and URLs); each note
then goes through ``render_markdown`` in this process. Reported: CPU
seconds (``time.process_time``) per run and their median; loading is not timed.

``--digest FILE`` writes a SHA-256 of each RenderedNote (html, text, toc, links,
diagnostics, refs, shortcodes) per note, so outputs can be compared before and after a
change; ``--fixtures`` adds every case of tests/fixtures/markdown/*.md, rendered as the
fixture tests render them. ``--src`` picks the awsnotes_site to import (default: this
checkout's src/), so two checkouts can be compared in one run.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load(source: Path) -> tuple[Any, list[Any]]:
    """The parser a build of ``source`` makes and its published notes (a first build,
    untimed, into a temporary folder, with no cache: the parser is the one the pipeline
    made, with its shortcodes, images and URLs)."""
    import tempfile

    from awsnotes_site.pipeline import Builder, BuildOptions
    from awsnotes_site.pipeline.render import page_stub, with_body

    with tempfile.TemporaryDirectory() as out:
        builder = Builder(source, BuildOptions(output=out, use_cache=False, save_cache=False))
        result = builder.build()
    parser = builder.notes._parser
    assert parser is not None, "the build made no Markdown parser"
    notes = [with_body(view.note, result.config) for view in result.notes]
    notes.sort(key=lambda n: n.sort_key)
    jobs = [(n.rel, (n.body, n.display_path, n.body_line, page_stub(n))) for n in notes]
    return parser.md, jobs


def _fixture_jobs(fuzz: int = 0) -> tuple[Any, list[Any]]:
    from markdown_it.utils import read_fixture_file

    sys.path.insert(0, str(ROOT / "tests"))
    from markdown_fixture import FIXTURES, PAGE, fixture_markdown

    md = fixture_markdown()
    page = PAGE
    jobs: list[Any] = []
    for path in sorted(FIXTURES.glob("*.md")):
        for line, title, text, _ in read_fixture_file(path):
            key = f"fixture:{path.stem}:{line}:{title}"
            jobs.append((key, (text, "content/posts/current.md", 1, page)))
    for n, text in enumerate(fuzz_texts(fuzz)):
        jobs.append((f"fuzz:{n}", (text, "content/posts/current.md", 1, page)))
    return md, jobs


# Pieces of Markdown for --fuzz: every construct the extensions touch, and broken ones.
PIECES = [
    "# 3장 VPC 고급\n",
    "## 01. 엔드포인트 {#x}\n",
    "### 셋\n",
    "#### 넷 `코드`\n",
    "제목\n===\n",
    "부제\n---\n",
    "- 목록\n",
    "  - 중첩\n",
    "* 별\n",
    "+ 더하기\n",
    "1. 하나\n",
    "2) 둘\n",
    "> 인용\n",
    "> > 이중\n",
    ">\n",
    "    들여쓴 코드\n",
    "`코드`",
    "``a ` b``",
    "**굵게**",
    "*기울임*",
    "_밑줄_",
    "~~취소~~",
    "~한 줄~",
    "<br>\n",
    "<br/>",
    "<U>밑줄</U>",
    "</U>",
    "\n",
    "\n\n",
    "  \n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "a | b\n-- | --\n",
    "|x|\n",
    '<img class="img-zoomable __web-inspector-hide-shortcut__" src="/static/x.png" >\n'
    '<figcaption align = "center">[Picture 1] 캡션 &amp; <b>굵게</b></figcaption>\n',
    '<img src="/a.png" alt="a" align="left" loading="eager">\n',
    '<img src="//cdn/x.png">',
    '<img srcset="/a.png 1x, /b.png 2x" src="/c.png">',
    '<a href="/posts/x/">글</a>',
    '<a href="https://e.com/?a=1&b=2">밖</a>',
    "<figure>",
    "</figure>",
    "<figcaption>",
    "</figcaption>",
    "<div>\n",
    "</div>\n",
    '<div class="x">\n\n*md*\n\n</div>\n',
    "<script>",
    "<style>a<b</style>",
    "<!--",
    "-->",
    "<!-- 주석 -->\n",
    "<?pi?>",
    "<![CDATA[x]]>",
    "&amp;",
    "&#0;",
    "&lt;",
    "&nbsp;",
    "&bogus;",
    "<",
    ">",
    "&",
    '"',
    "'",
    '{{< highlight bash "linenos=true" >}}\necho 1\necho 2\n{{< /highlight >}}\n',
    '{{< highlight python "linenos=inline,hl_lines=2 4-5,linenostart=7" >}}\n'
    "def f(x):\n    return x  # 주석\n\nclass A:\n    pass\n{{< /highlight >}}\n",
    '{{< highlight go "anchorlinenos=true,lineanchors=go" >}}\n'
    "func main() {}\n{{< /highlight >}}\n",
    '{{< highlight yaml "hl_inline=true" >}}a: 1{{< /highlight >}}',
    "{{< highlight nosuchlang >}}\nx\n{{< /highlight >}}\n",
    "{{< highlight >}}\nx\n{{< /highlight >}}\n",
    '{{< highlight bash "linenos=maybe" >}}\nx\n{{< /highlight >}}\n',
    "{{< highlight",
    "{{< /highlight >}}",
    '{{% details summary="s" %}}\n',
    "{{% /details %}}\n",
    '{{< details "요약" open="true" >}}\n본문 *강조*\n{{< /details >}}\n',
    "{{<",
    ">}}",
    "{{%",
    "%}}",
    '{{< figure src="/x.png" caption="c *md*" attr="저자" link="/y/" >}}',
    '{{< figure src="/x.png" width="abc" >}}',
    '{{< figure src="/x.png" >}}\n',
    "{{</* x */>}}",
    "{{%/* notice */%}}",
    '{{< ref "nope" >}}',
    '{{< ref "posts/other.md#설정" >}}',
    '[다른 글]({{< relref "other.md" >}})',
    '[없는 글]({{< ref "nope.md" >}})',
    '{{% notice type="warning" %}}\n조심 **하세요**\n{{% /notice %}}\n',
    '{{< youtube abc "제목" >}}',
    "{{< youtube xyz />}}",
    "{{< unknown >}}",
    "{{< a 1 b=2 >}}",
    "```go {linenos=table,hl_lines=[1]}\nfunc x() {}\n```\n",
    "```python\nprint('한')\n```\n",
    '```json\n{"a": [1, 2.5, true, null]}\n```\n',
    "```yaml\nkey: value\nlist:\n  - a\n```\n",
    '```bash {hl_lines=["2-3"]}\n$ echo a\nb\nc\n```\n',
    "```\n",
    "~~~\n",
    "```sh\n",
    "```{x}\n",
    "```c {linenos=true\nx\n```\n",
    "```text\n\ttab\r\nline\n```\n",
    "```mermaid\ngraph\n```\n",
    "[^1]\n\n[^1]: 각주\n",
    "[^n]",
    '[ref]\n\n[ref]: /posts/x/ "t"\n',
    "[링크](/posts/x/)",
    "[밖](https://e.com)",
    "[빈]()",
    "[상대](x.md)",
    '![그림](/static/y.png "제목")',
    "![alt](/a.png)",
    '\n![그림](/static/y.png "제목")\n\n',
    "<https://auto.link/x>",
    "www.example.com",
    "https://example.com/a?b=c",
    "user@example.com",
    "- [ ] 할 일\n",
    "- [x] 끝\n",
    "1. [ ] 번호\n",
    "\x00",
    "\ud7a3",
    "\u2028",
    "\u3000",
    "\x1c",
    "\t",
    "\r\n",
    "\\",
    "***\n",
    "___\n",
]


def fuzz_texts(count: int, seed: int = 1) -> list[str]:
    """``count`` random Markdown documents made of PIECES and random characters."""
    import random

    rng = random.Random(seed)
    chars = "가나 abc<>/&;#*_`[]()!{}%=\"'\n\t|-:~\\0123"
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 30)):
            if rng.random() < 0.8:
                parts.append(rng.choice(PIECES))
            else:
                parts.append("".join(rng.choice(chars) for _ in range(rng.randint(1, 12))))
        texts.append("".join(parts))
    return texts


def digest(rendered: Any) -> str:
    parts = [
        rendered.html,
        rendered.text,
        repr(rendered.toc),
        repr(rendered.links),
        repr(rendered.diagnostics),
        repr(sorted(rendered.refs.items())),
        repr(sorted(rendered.shortcodes)),
    ]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", type=Path, help="an awsnotes project (e.g. from corpus.py)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--digest", type=Path, help="write one 'note sha256' line per output")
    p.add_argument("--fixtures", action="store_true", help="digest the fixture cases too")
    p.add_argument(
        "--fuzz", type=int, default=0, help="digest this many random documents too (seed 1)"
    )
    p.add_argument("--profile", type=Path, help="cProfile one run into this pstats file")
    p.add_argument("--src", type=Path, default=ROOT / "src")
    args = p.parse_args(argv)

    sys.path.insert(0, str(args.src.resolve()))
    from awsnotes_site.markdown import render_markdown

    md, jobs = _load(args.source)
    times = []
    for _ in range(args.runs):
        started = time.process_time()
        for _, job in jobs:
            render_markdown(md, *job)
        times.append(time.process_time() - started)
    print(
        f"{len(jobs)} notes, CPU s per run: {' '.join(f'{t:.3f}' for t in times)}; "
        f"median {statistics.median(times):.3f}"
        if times
        else f"{len(jobs)} notes"
    )
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
        for _, job in jobs:
            render_markdown(md, *job)
        prof.disable()
        prof.dump_stats(str(args.profile))
    if args.digest:
        jobs_md = [(md, key, job) for key, job in jobs]
        if args.fixtures or args.fuzz:
            fmd, fjobs = _fixture_jobs(args.fuzz)
            jobs_md += [(fmd, key, job) for key, job in fjobs]
        lines = []
        for parser, key, job in jobs_md:
            try:
                lines.append(f"{key} {digest(render_markdown(parser, *job))}")
            except Exception as exc:  # a crash is an output too: it must stay the same
                lines.append(f"{key} raised {type(exc).__name__}: {exc}".replace("\n", " "))
        args.digest.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} digests -> {args.digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
