#!/usr/bin/env python3
"""Benchmark corpus: N Korean study notes derived from the shipped note, for four tools.

    python bench/corpus.py --notes 1000 --out /tmp/corpus/awsnotes
    python bench/corpus.py --notes 1000 --out /tmp/corpus/hugo --format hugo
    python bench/corpus.py --notes 1000 --out /tmp/corpus/pelican --format pelican
    python bench/corpus.py --notes 1000 --out /tmp/corpus/mkdocs --format mkdocs

Every note keeps the shipped note's shape (content/posts/aws-network-2.md): its ten
``<img>`` + ``<figcaption>`` figures as raw HTML, its ``highlight`` shortcode curl block and
its headings; about 40 % of its prose paragraphs are replaced by generated Korean text, a
generated introduction and 1–3 generated sections are added, and 1–3 extra code blocks
(python, yaml, json, go) with line numbers are placed among the blocks. Notes get 1–4
tags from a pool of 30 (Zipf-like, so a few tags are common) and about one in ten notes
opens a series of 5–20 notes (50 series at 1,000 notes; ~60 % of notes are in one).
``--series-length N`` gives the long-series shape instead: the N newest notes in one
series (``--series-length 1000 --notes 1000``: every note in one series).

The same notes are written for every format; only the project scaffolding, the front
matter syntax and the code block syntax differ:

- ``awsnotes``: site.toml, content/posts/, templates/ and static/ copied from the
  packaged theme (and the repo's static/).
- ``hugo``: hugo.toml and the minimal layouts in bench/hugo_layouts/ (baseof, single,
  list, taxonomy, term, pagination, a JSON search index on the home page), TOML front
  matter, the same ``highlight`` shortcode and fenced code with ``{linenos=true}``.
- ``pelican``: pelicanconf.py and Markdown with Pelican metadata; fenced code highlighted
  by Pygments through codehilite with line numbers.
- ``mkdocs``: mkdocs.yml (default theme) and docs/ with YAML front matter; fenced code via
  ``pymdownx.highlight`` + ``superfences`` (or Python-Markdown's codehilite with
  ``--mkdocs-highlight codehilite``), line numbers on.

Output is a pure function of (notes, seed, format, options): two runs give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "src" / "awsnotes_site" / "theme"
SOURCE_NOTE = ROOT / "content" / "posts" / "aws-network-2.md"
FORMATS = ("awsnotes", "hugo", "pelican", "mkdocs")
SITE_TITLE = "AWS 네트워크 공부 노트"
SITE_DESCRIPTION = "따라하며 배우는 AWS 네트워크 입문을 읽고 정리한 노트"
BASE_URL = "http://127.0.0.1:1313/"
KST = dt.timezone(dt.timedelta(hours=9))
LATEST = dt.datetime(2024, 12, 31, 21, 0, tzinfo=KST)

TAGS = [
    "AWS",
    "VPC",
    "네트워크",
    "Book",
    "EC2",
    "서브넷",
    "라우팅",
    "보안",
    "NAT",
    "DNS",
    "Route53",
    "CloudFront",
    "로드밸런서",
    "ELB",
    "IAM",
    "S3",
    "Lambda",
    "쿠버네티스",
    "EKS",
    "Terraform",
    "CloudFormation",
    "모니터링",
    "CloudWatch",
    "비용",
    "자격증",
    "SAA",
    "트러블슈팅",
    "IPv6",
    "하이브리드",
    "실습",
]
TOPICS = [
    "VPC",
    "서브넷",
    "라우팅 테이블",
    "인터넷 게이트웨이",
    "NAT 게이트웨이",
    "보안 그룹",
    "네트워크 ACL",
    "VPC 피어링",
    "트랜짓 게이트웨이",
    "Direct Connect",
    "Site-to-Site VPN",
    "Route 53",
    "CloudFront",
    "로드 밸런서",
    "ENI",
    "엘라스틱 IP",
    "VPC 엔드포인트",
    "프라이빗 링크",
    "배치 그룹",
    "인스턴스 메타데이터",
    "Global Accelerator",
    "플로우 로그",
]
ADJECTIVES = [
    "단순한",
    "대규모",
    "고가용성",
    "멀티 리전",
    "하이브리드",
    "보안이 중요한",
    "지연시간에 민감한",
    "비용을 아껴야 하는",
    "트래픽이 몰리는",
    "사내 전용",
]
VALUES = [
    "10.0.0.0/16",
    "10.0.1.0/24",
    "0.0.0.0/0",
    "169.254.169.254",
    "tcp/443",
    "udp/53",
    "ap-northeast-2a",
    "us-east-1",
    "pcx-1a2b3c",
    "tgw-0f9e8d",
    "vpce-123abc",
    "eni-77aa",
]
SENTENCES = [
    "{a}~은 {b}~와 연결되어 {c}~을 처리하는 역할을 한다.",
    "실습에서는 {a}~을 먼저 만들고, 이어서 {b}~을 설정했다.",
    "{a}~이 없으면 {b}~로 가는 트래픽이 막히기 때문에 주의해야 한다.",
    "책에서는 {a}의 동작을 {n}단계로 나누어 설명한다.",
    "{a}~와 {b}의 차이는 {c}~을 어디에 두느냐에 있다.",
    "비용 측면에서는 {a}~이 시간당 과금되므로 실습이 끝나면 바로 삭제하는 것이 좋다.",
    "{a} 설정 화면에서 `{v}` 값을 확인할 수 있다.",
    "정리하면 {a}~은 {adj} 구성에 적합하고, {b}~은 {adj2} 구성에 적합하다.",
    "{n}장 실습을 따라 하면서 {a}의 개념이 조금 더 분명해졌다.",
    "헷갈렸던 점은 {a}~와 {b}~이 서로 다른 계층에서 동작한다는 것이다.",
    "{a}에 `{v}`~을 지정하면 {b}~로 향하는 경로가 추가된다.",
    "콘솔 대신 CLI로 {a}~을 조회하면 {b}의 상태까지 한 번에 볼 수 있다.",
    "장애 상황을 가정하면 {a}~이 {adj} 환경에서 특히 중요하다.",
    "{a}~은 리전 단위로, {b}~은 가용 영역 단위로 생각하면 이해하기 쉽다.",
    "다음 회차에서는 {a}~와 {b}~을 함께 구성하는 실습을 이어서 정리한다.",
]
CAPTIONS = ["구성도", "흐름", "설정 화면", "동작 방식", "비교", "실습 결과"]
SERIES_SUFFIXES = ["완전 정복", "스터디", "실습 노트", "핵심 요약", "따라하기", "복습"]
TITLE_FORMS = [
    "[Book] [따라하며 배우는 AWS 네트워크 입문] 노트정리 {k}회차 ({p}/2)",
    "{a} 정리: {b}~와 함께 보기",
    "[AWS] {a} 실습 노트 #{k}",
    "{a}~와 {b} 비교 정리",
    "{adj} 환경을 위한 {a} 설계",
]
EXTRA_LANGS = ("python", "yaml", "json", "go")


# -- Korean helpers -------------------------------------------------------------------
def _has_batchim(word: str) -> bool:
    """Whether the last sound of ``word`` ends in a consonant (for 은/는, 이/가, …)."""
    last = word.rstrip("`'\" )")[-1:] or "a"
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 != 0
    if last.isdigit():
        return last in "013678"
    return last.lower() in "lmn"  # VPN (브이피엔), Tunnel; VPC, CloudFront, Connect: none


def _rieul(word: str) -> bool:
    last = word.rstrip()[-1:]
    return "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 == 8


def josa(text: str) -> str:
    """Resolve the markers ``~은``/``~이``/``~을``/``~와``/``~로`` after the word before."""
    pairs = {
        "은": ("은", "는"),
        "이": ("이", "가"),
        "을": ("을", "를"),
        "와": ("과", "와"),
        "로": ("으로", "로"),
    }

    def sub(m: re.Match[str]) -> str:
        word, marker = m.group(1), m.group(2)
        with_b, without = pairs[marker]
        if marker == "로" and _rieul(word):
            return word + "로"
        return word + (with_b if _has_batchim(word) else without)

    return re.sub(r"(\S+?)~(은|이|을|와|로)", sub, text)


def sentence(rng: random.Random) -> str:
    a, b, c = rng.sample(TOPICS, 3)
    adj, adj2 = rng.sample(ADJECTIVES, 2)
    form = rng.choice(SENTENCES)
    text = form.format(a=a, b=b, c=c, adj=adj, adj2=adj2, v=rng.choice(VALUES), n=rng.randint(2, 9))
    return josa(text)


def paragraph(rng: random.Random, lo: int = 2, hi: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


# -- extra code blocks ----------------------------------------------------------------
def code_block(rng: random.Random, lang: str, note: int = 0) -> str:
    """A snippet in ``lang``; ``note`` (and random values) make it unlike other notes'."""
    name = rng.choice(["vpc", "subnet", "route", "endpoint", "sg", "nat"])
    n = rng.randint(3, 9)
    cidr = f"10.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
    if lang == "python":
        lines = [
            "import boto3",
            "",
            'ec2 = boto3.client("ec2", region_name="{}")'.format(
                rng.choice(["ap-northeast-2", "us-east-1"])
            ),
            "",
            f"def list_{name}s(limit={n}):",
            f'    """{rng.choice(TOPICS)} 목록을 가져온다."""',
            f"    resp = ec2.describe_{name}s() if hasattr(ec2, 'describe_{name}s') else {{}}",
            f"    items = resp.get('{name.capitalize()}s', [])[:limit]  # {cidr}",
            "    for item in items:",
            "        print(item)  # 확인용 출력",
            "    return items",
        ]
        lines += [f"list_{name}s({i})" for i in range(1, rng.randint(2, 5))]
        lines.insert(0, f"# 노트 {note}: {josa(rng.choice(TOPICS) + '~을')} 확인하는 스크립트")
    elif lang == "yaml":
        lines = [
            "AWSTemplateFormatVersion: '2010-09-09'",
            f"Description: {rng.choice(TOPICS)} 실습 템플릿 (노트 {note})",
            "Resources:",
        ]
        for i in range(rng.randint(1, 3)):
            lines += [
                f"  {name.capitalize()}{i}:",
                f"    Type: AWS::EC2::{rng.choice(['VPC', 'Subnet', 'RouteTable', 'NatGateway'])}",
                "    Properties:",
                f"      CidrBlock: 10.{i}.{rng.randrange(256)}.0/24",
                "      Tags:",
                "        - Key: Name",
                f"          Value: {name}-{i}-실습",
            ]
    elif lang == "json":
        body = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"Allow{name.capitalize()}{i}",
                    "Effect": "Allow",
                    "Action": [f"ec2:Describe{name.capitalize()}s"],
                    "Resource": "*",
                    "Condition": {
                        "IpAddress": {"aws:SourceIp": f"10.{i}.{rng.randrange(256)}.0/24"},
                        "StringEquals": {"aws:RequestTag/Note": f"aws-note-{note}"},
                    },
                }
                for i in range(rng.randint(1, 3))
            ],
        }
        lines = json.dumps(body, ensure_ascii=False, indent=2).split("\n")
    else:
        lines = [
            f"// 노트 {note}: {rng.choice(TOPICS)} 예제",
            "package main",
            "",
            'import "fmt"',
            "",
            f"type {name.capitalize()} struct {{",
            "\tID   string",
            "\tCIDR string",
            "}",
            "",
            "func main() {",
            f"\titems := make([]{name.capitalize()}, 0, {n})",
            f"\tfor i := 0; i < {n}; i++ {{",
            f"\t\titems = append(items, {name.capitalize()}{{"
            f'ID: fmt.Sprintf("{name}-%d", i), CIDR: "{cidr}"}})',
            "\t}",
            '\tfmt.Println("개수:", len(items))',
            "}",
        ]
    return "\n".join(lines)


# -- the source note ------------------------------------------------------------------
@dataclass
class Block:
    kind: str  # "text", "heading", "raw", "figure", "highlight", "code"
    text: str = ""
    lang: str = ""
    options: str = ""


def read_source(path: Path = SOURCE_NOTE) -> list[Block]:
    """The shipped note's body as blocks (front matter dropped)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("+++"):
        end = text.index("\n+++", 3)
        text = text[end + 4 :]
    lines = text.split("\n")
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            chunk = "\n".join(buf).strip("\n")
            if chunk.strip():
                blocks.append(_classify(chunk))
            buf.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'\s*\{\{<\s*highlight\s+(\S+)\s+"([^"]*)"\s*>\}\}\s*$', line)
        if m:
            flush()
            j = i + 1
            while not re.match(r"\s*\{\{<\s*/highlight\s*>\}\}", lines[j]):
                j += 1
            blocks.append(Block("highlight", "\n".join(lines[i + 1 : j]), m.group(1), m.group(2)))
            i = j + 1
            continue
        if not line.strip():
            flush()
        else:
            buf.append(line.rstrip())
        i += 1
    flush()
    return blocks


def _classify(chunk: str) -> Block:
    if chunk.startswith("#"):
        return Block("heading", chunk)
    if "<img" in chunk and "<figcaption" in chunk:
        return Block("figure", chunk)
    if re.fullmatch(r"(<br>\s*)+", chunk.strip()):
        return Block("raw", chunk)
    return Block("text", chunk)


# -- notes ----------------------------------------------------------------------------
@dataclass
class NoteSpec:
    index: int
    slug: str
    title: str
    date: dt.datetime
    description: str
    tags: list[str]
    series: str | None
    weight: int
    blocks: list[Block] = field(default_factory=list)


def _tag_choice(rng: random.Random) -> list[str]:
    weights = [1 / (k + 1) ** 0.8 for k in range(len(TAGS))]
    k = rng.randint(1, 4)
    chosen: list[str] = []
    while len(chosen) < k:
        tag = rng.choices(TAGS, weights)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def _series_plan(n: int, seed: int) -> dict[int, tuple[str, int]]:
    """note index -> (series name, part number); ~n/20 series of 5–20 notes."""
    rng = random.Random(f"{seed}:series")
    count = max(1, round(n / 20))
    names: list[str] = []
    combos = [f"{t} {s}" for t in TOPICS for s in SERIES_SUFFIXES]
    rng.shuffle(combos)
    for i in range(count):
        base = combos[i % len(combos)]
        names.append(base if i < len(combos) else f"{base} {i // len(combos) + 1}기")
    order = list(range(n))
    rng.shuffle(order)
    plan: dict[int, tuple[str, int]] = {}
    pos = 0
    for name in names:
        size = min(rng.randint(5, 20), n - pos)
        if size <= 0:
            break
        members = sorted(order[pos : pos + size])  # oldest part first
        members.reverse()  # note 0 is the newest; part 1 is the oldest
        for part, idx in enumerate(members, start=1):
            plan[idx] = (name, part)
        pos += size
    return plan


LONG_SERIES = "AWS 네트워크 완전 정복"


def _one_series_plan(n: int, length: int) -> dict[int, tuple[str, int]]:
    """note index -> (series name, part number): the ``length`` newest notes form one
    series, ``LONG_SERIES`` (part 1 the oldest of them); the other notes are in none."""
    length = min(length, n)
    return {idx: (LONG_SERIES, length - idx) for idx in range(length)}


def make_notes(
    n: int, seed: int = 1, source: Path = SOURCE_NOTE, series_length: int = 0
) -> list[NoteSpec]:
    """``series_length``: put that many notes in one series instead of the usual plan."""
    base_blocks = read_source(source)
    plan = _one_series_plan(n, series_length) if series_length else _series_plan(n, seed)
    notes: list[NoteSpec] = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        a, b = rng.sample(TOPICS, 2)
        title = josa(
            rng.choice(TITLE_FORMS).format(
                a=a, b=b, adj=rng.choice(ADJECTIVES), k=i + 1, p=rng.randint(1, 2)
            )
        )
        date = LATEST - dt.timedelta(minutes=120 * i + rng.randrange(100))
        description = josa(f"{a}~와 {b}~을 중심으로 정리한 {i + 1}번째 노트. ") + sentence(rng)
        series, weight = plan.get(i, (None, 0))
        notes.append(
            NoteSpec(
                i,
                f"aws-note-{i + 1:05d}",
                title,
                date,
                description,
                _tag_choice(rng),
                series,
                weight,
                _vary(base_blocks, rng, i + 1),
            )
        )
    return notes


def _vary(blocks: list[Block], rng: random.Random, note: int) -> list[Block]:
    out: list[Block] = [Block("text", "> " + paragraph(rng, 1, 2))]
    for block in blocks:
        if block.kind == "text" and rng.random() < 0.4:
            out.append(Block("text", paragraph(rng)))
        else:
            out.append(block)
    # generated sections, placed before random headings (never inside the index list)
    heading_at = [k for k, blk in enumerate(out) if blk.kind == "heading"] or [len(out)]
    for _ in range(rng.randint(1, 3)):
        at = rng.choice(heading_at + [len(out)])
        topic = rng.choice(TOPICS)
        section = [
            Block("heading", f"## {topic} 더 알아보기"),
            *[Block("text", paragraph(rng)) for _ in range(rng.randint(1, 3))],
        ]
        out[at:at] = section
        heading_at = [k for k, blk in enumerate(out) if blk.kind == "heading"]
    # extra code blocks with line numbers, each after a prose block
    for _ in range(rng.randint(1, 3)):
        lang = rng.choice(EXTRA_LANGS)
        first = next((k for k, blk in enumerate(out) if blk.kind == "heading"), 0)
        spots = [k + 1 for k, blk in enumerate(out) if blk.kind == "text" and k > first]
        spots = spots or [len(out)]
        at = rng.choice(spots)
        out[at:at] = [
            Block("text", josa(f"{rng.choice(TOPICS)}~을 {lang} 코드로 확인해 보면 다음과 같다.")),
            Block("code", code_block(rng, lang, note), lang),
        ]
    return out


# -- rendering per format -------------------------------------------------------------
def body_markdown(note: NoteSpec, fmt: str) -> str:
    parts: list[str] = []
    for block in note.blocks:
        if block.kind == "highlight":
            if fmt in ("awsnotes", "hugo"):
                parts.append(
                    f'{{{{< highlight {block.lang}  "{block.options}" >}}}}\n'
                    f"{block.text}\n{{{{< /highlight >}}}}"
                )
            else:
                parts.append(f"```{block.lang}\n{block.text}\n```")
        elif block.kind == "code":
            attrs = " {linenos=true}" if fmt in ("awsnotes", "hugo") else ""
            parts.append(f"```{block.lang}{attrs}\n{block.text}\n```")
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def front_matter(note: NoteSpec, fmt: str) -> str:
    if fmt in ("awsnotes", "hugo"):
        lines = [
            "+++",
            f"title = {_toml_str(note.title)}",
            f"date = {note.date.isoformat()}",
            f"description = {_toml_str(note.description)}",
            "tags = [" + ", ".join(_toml_str(t) for t in note.tags) + "]",
        ]
        if note.series:
            lines += [f"series = [{_toml_str(note.series)}]", f"weight = {note.weight}"]
        return "\n".join(lines) + "\n+++\n\n"
    if fmt == "pelican":
        lines = [
            f"Title: {note.title}",
            f"Date: {note.date.strftime('%Y-%m-%d %H:%M')}",
            "Category: posts",
            f"Tags: {', '.join(note.tags)}",
            f"Slug: {note.slug}",
            f"Summary: {note.description}",
        ]
        if note.series:
            lines += [f"Series: {note.series}", f"Series_index: {note.weight}"]
        return "\n".join(lines) + "\n\n"
    lines = [
        "---",
        f"title: {_toml_str(note.title)}",
        f"date: {note.date.isoformat()}",
        f"description: {_toml_str(note.description)}",
        "tags: [" + ", ".join(_toml_str(t) for t in note.tags) + "]",
    ]
    if note.series:
        lines += [f"series: {_toml_str(note.series)}", f"weight: {note.weight}"]
    return "\n".join(lines) + "\n---\n\n"


def note_path(note: NoteSpec, fmt: str) -> str:
    """Path of the note's source file inside the project folder."""
    return {
        "awsnotes": "content/posts/{}.md",
        "hugo": "content/posts/{}.md",
        "pelican": "content/posts/{}.md",
        "mkdocs": "docs/posts/{}.md",
    }[fmt].format(note.slug)


# -- scaffolding ----------------------------------------------------------------------
def _copy_static(dest: Path) -> None:
    """The packaged theme's assets, then the repository's own static files."""
    shutil.copytree(THEME / "static", dest, dirs_exist_ok=True)
    shutil.copytree(ROOT / "static", dest, dirs_exist_ok=True)


def scaffold_awsnotes(out: Path) -> None:
    (out / "site.toml").write_text(
        f"title = {_toml_str(SITE_TITLE)}\ndescription = {_toml_str(SITE_DESCRIPTION)}\n"
        f'author = "awsnotes"\nlanguage = "ko"\nbase_url = "{BASE_URL}"\n'
        'output_dir = "public"\npaginate = 10\ntimezone = "Asia/Seoul"\n',
        encoding="utf-8",
    )
    shutil.copytree(THEME / "templates", out / "templates", dirs_exist_ok=True)
    _copy_static(out / "static")


HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = {_toml_str(SITE_TITLE)}
languageCode = "ko-kr"
defaultContentLanguage = "ko"
hasCJKLanguage = true
timeZone = "Asia/Seoul"
enableRobotsTXT = true
disableKinds = []

[params]
description = {_toml_str(SITE_DESCRIPTION)}
author = "awsnotes"

[pagination]
pagerSize = 10

[taxonomies]
tag = "tags"
series = "series"

[outputs]
home = ["html", "rss", "json"]

[markup.goldmark.renderer]
unsafe = true

[markup.highlight]
noClasses = false
lineNumbersInTable = true

[markup.tableOfContents]
startLevel = 1
endLevel = 3

[related]
includeNewer = true
threshold = 1
toLower = false
[[related.indices]]
name = "tags"
weight = 100
"""

HUGO_LAYOUTS = Path(__file__).resolve().parent / "hugo_layouts"


def scaffold_hugo(out: Path) -> None:
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    shutil.copytree(HUGO_LAYOUTS, out / "layouts")
    # served at /static/… as in our site (Hugo copies static/ to the site root)
    _copy_static(out / "static" / "static")
    (out / "content" / "search").mkdir(parents=True, exist_ok=True)
    (out / "content" / "search" / "_index.md").write_text(
        '+++\ntitle = "검색"\n+++\n', encoding="utf-8"
    )


PELICAN_CONFIG = f"""\
AUTHOR = "awsnotes"
SITENAME = {_toml_str(SITE_TITLE)}
SITESUBTITLE = {_toml_str(SITE_DESCRIPTION)}
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Seoul"
DEFAULT_LANG = "ko"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "posts/{{slug}}/"
ARTICLE_SAVE_AS = "posts/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
STATIC_PATHS = ["static"]
FEED_DOMAIN = "http://127.0.0.1:1313"
FEED_ALL_ATOM = "atom.xml"
FEED_ALL_RSS = "index.xml"
TAG_FEED_ATOM = "tags/{{slug}}/atom.xml"
TAG_FEED_RSS = "tags/{{slug}}/index.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight", "linenums": True}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.toc": {{"toc_depth": "1-3"}},
    }},
    "output_format": "html5",
}}
"""


def scaffold_pelican(out: Path) -> None:
    (out / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    _copy_static(out / "content" / "static")


def mkdocs_config(highlight: str) -> str:
    if highlight == "pymdownx":
        ext = (
            "  - pymdownx.highlight:\n      linenums: true\n      use_pygments: true\n"
            "  - pymdownx.superfences\n"
        )
    else:
        ext = "  - fenced_code\n  - codehilite:\n      linenums: true\n"
    return (
        f"site_name: {_toml_str(SITE_TITLE)}\n"
        f"site_description: {_toml_str(SITE_DESCRIPTION)}\n"
        f"site_url: {BASE_URL}\n"
        "docs_dir: docs\n"
        "theme:\n  name: mkdocs\n"
        "# Only the home page in the navigation: a nav of every note would be written into\n"
        "# every page (quadratic), which no other tool here does.\n"
        "nav:\n  - 홈: index.md\n"
        "validation:\n  omitted_files: ignore\n  absolute_links: ignore\n"
        "  unrecognized_links: ignore\n"
        "markdown_extensions:\n  - toc:\n      toc_depth: 3\n  - tables\n  - md_in_html\n"
        + ext
        + "plugins:\n  - search\n"
    )


def scaffold_mkdocs(out: Path, highlight: str) -> None:
    (out / "mkdocs.yml").write_text(mkdocs_config(highlight), encoding="utf-8")
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "docs" / "index.md").write_text(
        f"# {SITE_TITLE}\n\n{SITE_DESCRIPTION}\n", encoding="utf-8"
    )
    _copy_static(out / "docs" / "static")


def generate(
    n: int,
    out: Path,
    fmt: str = "awsnotes",
    seed: int = 1,
    mkdocs_highlight: str = "pymdownx",
    series_length: int = 0,
) -> list[NoteSpec]:
    """Write the corpus for ``fmt`` into ``out`` (which must be empty or absent)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "awsnotes":
        scaffold_awsnotes(out)
    elif fmt == "hugo":
        scaffold_hugo(out)
    elif fmt == "pelican":
        scaffold_pelican(out)
    else:
        scaffold_mkdocs(out, mkdocs_highlight)
    notes = make_notes(n, seed, series_length=series_length)
    for note in notes:
        path = out / note_path(note, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(note, fmt) + body_markdown(note, fmt), encoding="utf-8")
    return notes


def _series_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--series-length",
        type=int,
        default=0,
        metavar="N",
        help="the long-series shape: N notes (all of them with N = --notes) in one series "
        f"({LONG_SERIES!r}), the others in none; 0: the usual 5-20-note series",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, required=True, help="number of notes")
    parser.add_argument("--out", type=Path, required=True, help="project folder to create")
    parser.add_argument("--format", choices=FORMATS, default="awsnotes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--mkdocs-highlight",
        choices=("pymdownx", "codehilite"),
        default="pymdownx",
        help="MkDocs code highlighting (codehilite needs no extra package)",
    )
    _series_option(parser)
    args = parser.parse_args(argv)
    if args.notes < 1:
        parser.error("--notes must be at least 1")
    try:
        notes = generate(
            args.notes,
            args.out,
            args.format,
            args.seed,
            args.mkdocs_highlight,
            args.series_length,
        )
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    in_series = sum(1 for n in notes if n.series)
    series = len({n.series for n in notes if n.series})
    print(
        f"wrote {len(notes)} {args.format} notes ({series} series covering {in_series} "
        f"notes, {len({t for n in notes for t in n.tags})} tags) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
