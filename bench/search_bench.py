"""Benchmark the Korean search index: size per 1,000 notes and query time in Chromium.

    python3 bench/search_bench.py [--notes 1000] [--samples 50] [--batch 10] [--json] [--size-only]

Generates N Korean notes from the shipped note (content/posts/aws-network-2.md): its
sentences shuffled and sampled, AWS terms swapped, numbers and code changed, plus words
drawn from a Zipf-like pool of made-up Hangul words so the vocabulary grows with N as
in a real corpus. Builds the index with ``build_index`` (the manifest and its shards, as
the site build writes them), reports its size (raw and gzip, in all and per shard) and the
CPU time of building it and of rebuilding one shard, then loads the index and
``static/js/search.js`` into headless Chromium (Debian's /usr/bin/chromium through
Playwright; no network) and times ~20 queries there with
``performance.now()``: after the index is loaded and warmed up as the search page does,
each query's first run (cold: its keys decoded, choseong views built), then the median of
many runs (each a search plus rendering the first page of results).
The figures go into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from awsnotes_site.search import MANIFEST, SearchDoc, build_index, build_shard  # noqa: E402
from awsnotes_site.search import index as search_index  # noqa: E402

SHIPPED_NOTE = ROOT / "content" / "posts" / "aws-network-2.md"
SEARCH_JS = ROOT / "src" / "awsnotes_site" / "theme" / "static" / "js" / "search.js"
CHROMIUM = "/usr/bin/chromium"

QUERIES = [
    "인스턴스",
    "스턴스",
    "엔드포인트",
    "엔드포인트는",
    "엔드포인트를",
    "ㅂㅊㄱㄹ",
    "ㅇㄷㅍㅇㅌ",
    "배치 그룹",
    "배치그룹",
    "169.254.169.254",
    "imdsv2",
    "IMDSv2",
    "curl",
    "메타데이터",
    "VPC 엔드포인트 서비스",
    "프라이빗 링크",
    "즉",
    "가나다라마바사",
    "ec2 인스턴스",
    "hadoop",
    "분산형 배치 그룹은",
]

AWS_TERMS = [
    "VPC",
    "EC2",
    "S3",
    "NAT 게이트웨이",
    "인터넷 게이트웨이",
    "서브넷",
    "라우팅 테이블",
    "보안 그룹",
    "NACL",
    "Route 53",
    "CloudFront",
    "ELB",
    "NLB",
    "ALB",
    "Lambda",
    "DynamoDB",
    "RDS",
    "IAM",
    "KMS",
    "CloudWatch",
    "트랜짓 게이트웨이",
    "피어링",
    "Direct Connect",
]
TOPICS = [
    "VPC 고급",
    "인터넷 연결",
    "엔드포인트",
    "배치 그룹",
    "메타데이터",
    "보안",
    "로드 밸런서",
    "DNS",
    "하이브리드 연결",
    "모니터링",
    "스토리지",
    "데이터베이스",
    "서버리스",
    "컨테이너",
]
TAGS = ["AWS", "Book", "VPC", "EC2", "네트워크", "보안", "스터디", "자격증", "실습", "IMDSv2"]
SYLLABLES = (
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초"
    "코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히개내대래매배새"
    "애재채캐태패해경능동령명병성영정청콩통퐁홍관란산안잔찬칸탄판한"
)


def note_text() -> str:
    """The shipped note's text, markup dropped (close to what the build indexes)."""
    raw = SHIPPED_NOTE.read_text("utf-8").split("+++", 2)[2]
    raw = re.sub(r"\{\{<[^>]*>\}\}", " ", raw)
    raw = re.sub(r"<[^>]+>", " ", raw)
    raw = re.sub(r"[`*#>|]", " ", raw)
    return re.sub(r"\s+", " ", raw).strip()


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.다])\s+", text)
    return [p for p in parts if len(p) > 5]


def word_pool(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def generate_docs(n: int, seed: int = 1) -> list[SearchDoc]:
    rng = random.Random(seed)
    base = sentences(note_text())
    pool = word_pool(rng, 30_000)
    cum: list[float] = []
    total = 0.0
    for i in range(len(pool)):
        total += 1 / (i + 1)
        cum.append(total)
    docs: list[SearchDoc] = []
    for i in range(n):
        picked = rng.sample(base, k=max(5, int(len(base) * rng.uniform(0.3, 0.9))))
        out: list[str] = []
        for s in picked:
            s = s.replace("VPC", rng.choice(AWS_TERMS)) if rng.random() < 0.5 else s
            s = re.sub(
                r"\d+", lambda m: str(rng.randint(0, 300)) if rng.random() < 0.3 else m.group(), s
            )
            out.append(s)
            if rng.random() < 0.6:
                words = rng.choices(pool, cum_weights=cum, k=rng.randint(4, 12))
                particles = ["은", "는", "이", "가", "을", "를", "에서", "으로", "의", ""]
                out.append(" ".join(w + rng.choice(particles) for w in words) + "다.")
        topic = rng.choice(TOPICS)
        title = f"[노트] {topic} 정리 {i + 1}회차: {rng.choice(AWS_TERMS)}"
        year = 2019 + i % 6
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        tags = rng.sample(TAGS, k=rng.randint(1, 3))
        docs.append(SearchDoc(f"posts/note-{i + 1}/", title, date, tags, " ".join(out)))
    return docs


def machine_info() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def measure_size(docs: list[SearchDoc]) -> dict[str, Any]:
    search_index._text_keys.cache_clear()  # a cold build: every note tokenized and cleaned
    search_index._stored.cache_clear()
    started = time.process_time()
    files = build_index(docs)
    seconds = time.process_time() - started
    manifest = json.loads(files[MANIFEST])
    shards = [files[path] for path in manifest["shards"]]
    # an edit: one note changed, its shard rebuilt (other notes' keys memoised, as in serve)
    first = json.loads(shards[0])["docs"]
    members = [d for d in docs if d.url in {x["url"] for x in first}]
    members[0] = SearchDoc(
        members[0].url,
        members[0].title,
        members[0].date,
        members[0].tags,
        members[0].text + " 편집한 문장.",
    )
    started = time.process_time()
    build_shard(members)
    shard_seconds = time.process_time() - started
    raw = [text.encode("utf-8") for text in files.values()]
    gz = [len(gzip.compress(r, 9)) for r in raw]
    parts = {"docs": 0, "grams": 0, "words": 0}
    keys = {"grams": 0, "words": 0}
    for text in shards:
        data = json.loads(text)
        for name in parts:
            parts[name] += len(
                json.dumps(data[name], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            )
        keys["grams"] += len(data["grams"])
        keys["words"] += len(data["words"])
    per_k = 1000 / max(1, len(docs))
    shard_bytes = [len(t.encode("utf-8")) for t in shards]
    return {
        "notes": len(docs),
        "build_seconds": round(seconds, 3),
        "shard_rebuild_seconds": round(shard_seconds, 3),
        "shards": len(shards),
        "shard_bytes": {"min": min(shard_bytes), "max": max(shard_bytes)},
        "raw_bytes": sum(map(len, raw)),
        "gzip_bytes": sum(gz),
        "raw_per_1000": round(sum(map(len, raw)) * per_k),
        "gzip_per_1000": round(sum(gz) * per_k),
        "parts": parts,
        "keys": keys,
        "index": [manifest, [json.loads(t) for t in shards]],
    }


PAGE_JS = """
async ([manifestText, shardTexts, queries, samples, batch]) => {
  const S = window.AwsnotesSearch;
  let t0 = performance.now();
  const index = S.load(JSON.parse(manifestText), shardTexts.map((t) => JSON.parse(t)));
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  await new Promise((resolve) => S.warm(index, resolve));  // as the page does after loading
  const warmMs = performance.now() - t0;
  const run = (q) => {
    const hits = S.search(index, q);
    S.render(index, hits.slice(0, S.PAGE_SIZE));
    return hits.length;
  };
  const rows = [];
  for (const q of queries) {
    let t = performance.now();
    const hits = run(q);
    const cold = performance.now() - t;
    const times = [];
    for (let i = 0; i < samples; i++) {
      t = performance.now();
      for (let j = 0; j < batch; j++) run(q);
      times.push((performance.now() - t) / batch);
    }
    times.sort((a, b) => a - b);
    rows.push({query: q, hits, cold, min: times[0], median: times[times.length >> 1],
               p90: times[Math.floor(times.length * 0.9)]});
  }
  return {loadMs, warmMs, rows};
}
"""


def time_queries(index: list[Any], queries: list[str], samples: int, batch: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # nothing leaves the page
            page.set_content('<!DOCTYPE html><html lang="ko"><body data-base="/"></body></html>')
            page.add_script_tag(content=SEARCH_JS.read_text("utf-8"))
            manifest, shards = index
            texts = [
                json.dumps(manifest, ensure_ascii=False),
                [json.dumps(x, ensure_ascii=False) for x in shards],
            ]
            result: dict[str, Any] = page.evaluate(PAGE_JS, [*texts, queries, samples, batch])
            result["chromium"] = browser.version
        finally:
            browser.close()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=50, help="timed samples per query")
    ap.add_argument(
        "--batch", type=int, default=10, help="runs per sample (Chromium's clock ticks in 0.1 ms)"
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--size-only", action="store_true", help="skip the browser timing")
    args = ap.parse_args(argv)

    info = machine_info()
    load_before = os.getloadavg()[0]
    docs = generate_docs(args.notes)
    size = measure_size(docs)
    index = size.pop("index")
    timing = None if args.size_only else time_queries(index, QUERIES, args.samples, args.batch)
    if args.json:
        print(
            json.dumps(
                {"machine": info, "size": size, "timing": timing}, ensure_ascii=False, indent=2
            )
        )
        return 0
    print(f"machine: nproc={info['nproc']} cpu={info['cpu']!r} python={info['python']}")
    if timing:
        print(f"chromium: {timing['chromium']}")
    print(
        f"notes: {size['notes']}  (index built in {size['build_seconds']} s CPU; one shard "
        f"rebuilt after an edit in {size['shard_rebuild_seconds']} s CPU)"
    )
    print(
        f"shards: {size['shards']}, {size['shard_bytes']['min']:,}-"
        f"{size['shard_bytes']['max']:,} B raw each"
    )
    print(
        f"index: {size['raw_bytes']:,} B raw, {size['gzip_bytes']:,} B gzip "
        f"-> per 1,000 notes {size['raw_per_1000']:,} B raw / {size['gzip_per_1000']:,} B gzip"
    )
    print(
        "  parts (raw): "
        + ", ".join(f"{k} {v:,} B" for k, v in size["parts"].items())
        + f"; keys: {size['keys']['grams']:,} grams, {size['keys']['words']:,} words"
    )
    if timing:
        print(
            f"index load (JSON.parse + prepare): {timing['loadMs']:.1f} ms; warm-up of note "
            f"fields (in the background on the page): {timing['warmMs']:.1f} ms"
        )
        print(
            f"{'query':<24} {'hits':>5} {'cold ms':>8} {'min ms':>7} {'median ms':>10} "
            f"{'p90 ms':>7}"
        )
        for row in timing["rows"]:
            print(
                f"{row['query']:<24} {row['hits']:>5} {row['cold']:>8.2f} {row['min']:>7.3f} "
                f"{row['median']:>10.3f} {row['p90']:>7.3f}"
            )
        medians = [r["median"] for r in timing["rows"]]
        load = os.getloadavg()[0]
        print(
            f"median of medians: {statistics.median(medians):.3f} ms; "
            f"worst median: {max(medians):.3f} ms "
            f"({args.samples} samples x {args.batch} runs per query; a run = search + "
            f"rendering the first {20} results)"
        )
        print(
            f"load average: {load_before:.2f} before, {load:.2f} after, on {info['nproc']} CPUs"
            + ("  (busy machine: medians are inflated, see min)" if load > 1.0 else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
