"""Make throw-away projects for tests: the packaged theme exported into the project (so tests
can edit its templates and assets as a site's overrides), the repository's own static files
(the shipped note's diagrams) and given notes."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "src" / "awsnotes_site" / "theme"
SHIPPED_NOTE = ROOT / "content" / "posts" / "aws-network-2.md"

DEFAULT_CONFIG = """\
title = "테스트 노트"
description = "테스트용 사이트"
author = "tester"
base_url = "http://127.0.0.1:1313/"
paginate = 10
"""

# A small site with a series, shared tags, code and a figure, for tests that need more
# than the one shipped note.
DEMO_NOTES: dict[str, str] = {
    "posts/vpc-basics.md": """+++
title = "VPC 기초: 서브넷과 라우팅"
date = 2023-03-01
description = "VPC, 서브넷, 라우팅 테이블을 정리한다."
tags = ["AWS", "VPC"]
series = ["AWS 네트워크"]
weight = 1
+++

# 1장 VPC 기초

VPC는 AWS 클라우드 안의 논리적으로 격리된 네트워크다. 인스턴스는 서브넷에 놓인다.

## 서브넷

퍼블릭 서브넷은 인터넷 게이트웨이로 가는 경로를 가진다.

```bash {linenos=true, hl_lines=[2]}
aws ec2 describe-vpcs
aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-1234
```
""",
    "posts/nat-gateway.md": """+++
title = "NAT 게이트웨이와 인터넷 연결"
date = 2023-03-12
description = "프라이빗 서브넷의 인스턴스가 인터넷에 나가는 방법."
tags = ["AWS", "NAT"]
series = ["AWS 네트워크"]
weight = 2
+++

## NAT 게이트웨이

프라이빗 서브넷의 인스턴스는 NAT 게이트웨이를 거쳐 인터넷에 연결된다.

<img class="img-zoomable" src="/static/img/post/network/endpoint_flow.png">
<figcaption>[그림] 엔드포인트 흐름</figcaption>
""",
    "posts/security-groups.md": """---
title: "보안 그룹과 NACL"
date: 2023-02-20
tags: [AWS, 보안]
---

보안 그룹은 상태 저장(stateful) 방화벽이다. NACL은 상태 비저장이다.
""",
}


# A note with 엔드포인트를 and IMDSv2, which the shipped note lacks (search tests).
IMDS_NOTE = """+++
title = "IMDSv2와 메타데이터 보안"
date = 2023-04-10
tags = ["AWS", "EC2"]
+++

EC2 인스턴스 메타데이터 서비스 IMDSv2는 세션 토큰을 요구한다.
인터페이스 엔드포인트를 거치지 않고 링크 로컬 주소로 요청한다.
"""


def make_project(
    tmp: Path,
    notes: dict[str, str] | None = None,
    config: str | None = None,
    *,
    shipped: bool = True,
    theme: bool = True,
) -> Path:
    """A project folder in ``tmp`` with ``site.toml``, the repository's static/ and the
    given notes (paths relative to content/). The shipped note is included unless
    ``shipped=False``. With ``theme`` (the default) the packaged theme's templates and
    assets are copied into the project's templates/ and static/ (as ``awsnotes-site theme
    export --static`` would), so tests edit them as the site's overrides; without it the
    project builds with the packaged theme alone. The repository's screenshots
    (``static/img/``, ten PNGs whose responsive variants cost ~1 s of CPU to make in a new
    project) come only with the shipped note, which shows them."""
    project = tmp / "project"
    project.mkdir(parents=True, exist_ok=True)
    if theme:
        shutil.copytree(THEME / "templates", project / "templates", dirs_exist_ok=True)
        shutil.copytree(THEME / "static", project / "static", dirs_exist_ok=True)
    skip = None if shipped else shutil.ignore_patterns("img")
    shutil.copytree(ROOT / "static", project / "static", dirs_exist_ok=True, ignore=skip)
    (project / "site.toml").write_text(
        config if config is not None else DEFAULT_CONFIG, encoding="utf-8"
    )
    content = project / "content"
    content.mkdir(exist_ok=True)
    if shipped:
        (content / "posts").mkdir(exist_ok=True)
        shutil.copyfile(SHIPPED_NOTE, content / "posts" / SHIPPED_NOTE.name)
    for rel, text in (notes or {}).items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return project


def many_notes(n: int, start: int = 0) -> dict[str, str]:
    """N short notes (content paths -> text), note i holding the words 고유{i}번 and
    uniq{i}x found in no other note, for sites big enough to have several search shards."""
    return {
        f"bulk/note-{i:03d}.md": f"""+++
title = "대량 노트 {i}"
date = 20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}
tags = ["대량"]
+++

대량 시험용 본문 {i}. 이 노트만 고유{i}번 단어와 uniq{i}x 토큰을 가진다.
"""
        for i in range(start, start + n)
    }
