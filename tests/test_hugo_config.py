"""A Hugo folder as it is: its configuration read into SiteConfig, ``init --from-hugo``,
Hugo's URL rules for aliases and content files, bad configuration reported with its
line, and ``check`` on the built fixture site."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from awsnotes_site.cli import main
from awsnotes_site.config import load_config
from awsnotes_site.diagnostics import BuildError
from awsnotes_site.hugo.paths import (
    Place,
    alias_path,
    page_url,
    place_of,
    resource_path,
    section_page_url,
    taxonomy_url,
    term_url,
)
from awsnotes_site.hugo.permalinks import permalink_rules
from hugo_compare import hugo_build
from test_hugo_site import FIXTURES

CLI = Path(sys.executable).parent / "awsnotes-site"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=300)


def _site(tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    return site


def test_devlog_config_maps_to_site_config() -> None:
    config, diags = load_config(FIXTURES / "devlog")
    assert diags == []  # googleAnalytics and menu are quiet keys
    assert config.kind == "hugo"
    assert (config.title, config.language, config.paginate) == ("개발 일지", "ko", 5)
    assert config.base_url == "https://devlog.example.kr/"
    assert config.description == "클라우드와 백엔드를 공부하며 남기는 기록"
    assert config.author == "김개발"
    assert config.static_at_root and config.static_dirs == ("static",)
    assert config.taxonomies == {"tag": "tags", "category": "categories", "series": "series"}
    assert config.permalinks == {"posts": "/:year/:month/:day/:slug/"}
    assert config.summary_length == 80
    assert config.markdown["emoji"] is True
    assert config.markdown["typographer"] is True
    assert config.markdown["highlight"] == {
        "linenos": False,
        "noclasses": False,
        "codefences": True,
    }
    assert set(config.markdown) == {"typographer", "definition_list", "emoji", "highlight"}
    assert config.shortcode_dirs == ("layouts/shortcodes", "themes/LoveIt/layouts/shortcodes")


def test_config_folder_yaml_and_path_case() -> None:
    config, _ = load_config(FIXTURES / "yamlnotes")
    assert config.content_dirname == "notes"
    assert config.static_dirs == ("assets-static",)
    assert config.disable_path_to_lower is True
    assert config.author == "박노트"  # params.author.name
    assert config.taxonomies == {"tag": "tags", "topic": "topics"}
    assert config.markdown["typographer"] is False
    assert config.paginate == 3


def test_default_taxonomies_are_tags_and_categories() -> None:
    config, _ = load_config(FIXTURES / "papermod")
    assert config.taxonomies == {"tag": "tags", "category": "categories"}
    assert config.shortcode_dirs == ()  # the theme has no shortcodes folder


def test_unused_keys_are_one_warning(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(
        'title = "x"\nrssLimit = 5\nfooBar = 1\n[markup.tableOfContents]\nstartLevel = 2\n'
        "[zeta]\nq = 1\n",
        encoding="utf-8",
    )
    _, diags = load_config(tmp_path)
    assert len(diags) == 1
    assert not diags[0].is_error
    assert diags[0].message.endswith("foobar, zeta")  # rssLimit is quiet: no effect expected


def test_multilingual_root_is_the_default_language_and_the_others_are_listed() -> None:
    config, diags = load_config(FIXTURES / "bilingual")
    assert config.content_dirname == "content/ko"
    assert config.language == "ko"
    assert config.hugo_language == "ko"
    assert config.languages == {
        "en": {
            "title": "Two Languages",
            "description": "",
            "language": "en",
            "content_dirname": "content/en",
            "params": {},
        }
    }
    assert config.description == "한국어 글"
    assert diags == []


def test_languages_built_and_the_multihost_ones_named_in_one_warning(tmp_path: Path) -> None:
    """Languages sharing a content folder (Hugo's file-suffix style, ``index.en.md``) are
    built; a language with a baseURL of its own (a multihost site) is not, and one warning
    names them; disabled languages are not languages of the site."""
    (tmp_path / "hugo.toml").write_text(
        'defaultContentLanguage = "ko"\ndefaultContentLanguageInSubdir = true\n'
        'disableLanguages = ["fr"]\n'
        "[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n"
        '[languages.ja]\ncontentDir = "content/ja"\nweight = 3\n'
        '[languages.de]\nbaseURL = "https://de.example.kr/"\nweight = 4\n'
        '[languages.es]\nbaseURL = "https://es.example.kr/"\nweight = 5\n'
        "[languages.fr]\nweight = 6\n[languages.it]\ndisabled = true\n",
        encoding="utf-8",
    )
    config, diags = load_config(tmp_path)
    assert (config.hugo_language, list(config.languages)) == ("ko", ["ko", "en", "ja"])
    assert config.languages["ja"]["content_dirname"] == "content/ja"
    assert config.languages["en"]["content_dirname"] == "content"
    (diag,) = diags
    assert not diag.is_error
    assert diag.message.endswith("skipped: de, es")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("hugo.toml", 'title = "x"\nbaseURL = \n', 2),
        ("config.yaml", "title: x\nparams:\n  a: [1, 2\n", 4),
        ("config.json", '{"title": "x",\n "baseURL": }\n', 2),
    ],
)
def test_bad_config_is_path_line_message(tmp_path: Path, name: str, text: str, line: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir()
    with pytest.raises(BuildError) as exc:
        load_config(tmp_path)
    (diag,) = exc.value.diagnostics
    assert (Path(diag.path).name, diag.line) == (name, line)
    proc = run_cli("build", "-s", str(tmp_path))
    assert proc.returncode == 1
    err = proc.stderr
    assert re.search(rf"{re.escape(name)}:{line}: error: invalid (TOML|YAML|JSON)", err), err


def test_init_from_hugo_writes_equivalent_site_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("devlog", "yamlnotes", "bilingual", "permalinks", "suffixes"):
        site = _site(tmp_path, name)
        hugo_config, _ = load_config(site)
        assert main(["init", "--from-hugo", str(site)]) == 0
        assert (site / "site.toml").is_file()
        config, diags = load_config(site)
        assert diags == []
        assert config == hugo_config, name
        assert main(["init", "--from-hugo", str(site)]) == 2  # never replaced
    assert "already exists" in capsys.readouterr().err


def test_init_from_hugo_needs_a_hugo_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--from-hugo", str(tmp_path)]) == 2
    assert "no Hugo configuration" in capsys.readouterr().err
    assert not (tmp_path / "site.toml").exists()


def test_place_and_urls_like_hugo() -> None:
    assert place_of("posts/x/index.md") == Place("page", ("posts",), "x")
    assert place_of("posts/_index.md") == Place("section", ("posts",), "posts")
    assert place_of("_index.md") == Place("home", (), "")
    assert place_of("a/b/c.md") == Place("page", ("a", "b"), "c")
    bundle = place_of("Posts/My Bundle/index.md")
    assert page_url(bundle, "T", None, "", "", {}, True) == "posts/my-bundle/"
    assert page_url(bundle, "T", None, "", "", {}, False) == "Posts/My-Bundle/"
    assert page_url(bundle, "T", None, "Hello World", "", {}, True) == "posts/hello-world/"
    assert page_url(bundle, "T", None, "", "/Foo/Bar Baz/", {}, True) == "Foo/Bar Baz/"
    assert page_url(bundle, "T", None, "", "/about.html", {}, True) == "about.html"
    section = place_of("Posts/Sub/_index.md")
    assert page_url(section, "T", None, "", "", {"Posts": "/:slug/"}, True) == "posts/sub/"


def test_permalinks_by_kind_like_hugo() -> None:
    """Hugo 0.120's tables per kind, and the old flat form: a section's pages, a
    taxonomy's terms (the URLs checked against Hugo in test_hugo_site.py)."""
    nested = {
        "page": {"posts": "/articles/:year/:slug/"},
        "section": {"posts": "/articles/:sections[1:]/"},
        "taxonomy": {"tags": "/tagged/"},
        "term": {"tags": "/tagged/:slug/"},
    }
    flat = {"posts": "/p/:slug/", "tags": "/topic/:slug/"}
    assert permalink_rules(flat) == {
        "page": flat,
        "section": {},
        "taxonomy": {},
        "term": flat,
    }
    date = dt.datetime(2024, 5, 6)
    page = place_of("posts/linux/Bash Tips.md")
    assert page_url(page, "Bash!", date, "", "", nested, True) == "articles/2024/bash/"
    assert page_url(page, "Bash!", date, "", "", flat, True) == "p/bash/"
    top, sub = place_of("posts/_index.md"), place_of("posts/Linux/_index.md")
    assert page_url(top, "글", None, "", "", nested, True) == "articles/"
    assert page_url(sub, "리눅스", None, "x", "", nested, True) == "articles/linux/"
    assert page_url(sub, "리눅스", None, "", "", flat, True) == "posts/linux/"
    assert page_url(sub, "리눅스", None, "", "/own/", nested, True) == "own/"  # url wins
    assert section_page_url(("posts",), nested, True) == "articles/"
    assert term_url("tags", "Web Dev", nested, True) == "tagged/web-dev/"
    assert term_url("tags", "Web Dev", flat, True) == "topic/web-dev/"
    assert term_url("categories", "Web Dev", nested, True) is None
    assert taxonomy_url("tags", nested, True) == "tagged/"
    assert taxonomy_url("Tags", flat, True) == "tags/"


def test_aliases_and_content_files_like_hugo() -> None:
    assert alias_path("/Old/One/", "Foo/Bar Baz/") == "Old/One/index.html"
    assert alias_path("rel-alias", "Foo/Bar Baz/") == "Foo/rel-alias/index.html"
    assert alias_path("old.html", "x/") == "old.html"
    bundles = {"Posts/My Bundle": "posts/my-bundle/"}
    sections = {"Posts": "posts/"}
    assert resource_path("Posts/My Bundle/Pic One.PNG", bundles, sections) == (
        "posts/my-bundle/Pic One.PNG"
    )
    assert resource_path("Posts/loose.PNG", bundles, sections) == "posts/loose.PNG"
    assert resource_path("Files/Data.TXT", bundles, sections) == "Files/Data.TXT"


def _problems(output: str) -> set[str]:
    """The missing targets ``check`` names (``missing image: /x.png does not exist``)."""
    return set(re.findall(r"(?:missing \w+|broken link): (\S+) does not exist", output))


def test_check_finds_nothing_hugos_output_does_not_have(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "devlog", site)
    hugo_out = hugo_build(site, tmp_path)
    ours = run_cli("check", "-s", str(site))
    assert "checked" in ours.stdout, ours.stderr
    theirs = run_cli("check", "-s", str(site), "--output", str(hugo_out))
    assert "checked" in theirs.stdout, theirs.stderr
    assert _problems(ours.stderr) <= _problems(theirs.stderr), ours.stderr


def test_canonify_urls_under_a_sub_path_is_a_warning(tmp_path: Path) -> None:
    """Hugo's canonifyURLs puts the base path into root-relative links; we keep them as
    written (and warn about each that leaves the base path): say so once."""
    (tmp_path / "hugo.toml").write_text(
        'baseURL = "https://u.github.io/blog/"\ncanonifyURLs = true\n', encoding="utf-8"
    )
    _, diags = load_config(tmp_path)
    (diag,) = diags
    assert not diag.is_error
    assert diag.message.startswith("canonifyURLs is not supported")
    assert "/blog/" in diag.message
    (tmp_path / "hugo.toml").write_text("canonifyURLs = true\n", encoding="utf-8")
    assert load_config(tmp_path)[1] == []  # at the root it changes nothing
