"""``singletons catalog check``: extraction cases as data, on the shipped catalog or a user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from singleton_rate.cli import main
from singleton_rate.extract.cases import check_cases, check_catalog, parse_cases, shipped_cases
from singleton_rate.extract.catalog import CatalogError, load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name

MINE = """
[[relation]]
name = "child"
version = 1
subject = "PERSON"
value = "entity"
  [[relation.pattern]]
  id = "fathered"
  kind = "verb_object"
  words = ["fathered"]
  labels = ["PERSON"]

  [[relation.pattern]]
  id = "parent_of"
  kind = "copula"
  words = ["@copula"]
  nouns = ["father", "mother"]
  take = "prep"
  preps = ["of"]
  labels = ["PERSON"]

[[case]]
title = "John Smith"
text = "John Smith fathered Mary Smith."
facts = [["john smith", "child", "mary smith"]]

[[case]]
text = "Nobody fathered anything."
facts = []
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog(), resolve_model_name())


def test_shipped_cases_pass_and_cover_every_pattern(extractor: Extractor) -> None:
    report = check_cases(extractor, shipped_cases())
    assert [r.case.where for r in report.failed] == []
    assert report.uncovered == ()
    assert report.ok


def test_a_pattern_without_a_case_fails_the_check(extractor: Extractor) -> None:
    cases = [c for c in shipped_cases() if "birth_place" not in {f[1] for f in c.facts}]
    report = check_cases(extractor, cases[:20])
    assert not report.ok
    assert "birth_place_v2/born" in report.uncovered or report.failed


def test_user_file_cases_and_coverage(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(MINE)
    report = check_catalog([str(mine)])
    assert len(report.results) == 2
    assert report.failed == ()
    # only the user's relations must be covered: parent_of has no case yet
    assert report.uncovered == ("child_v1/parent_of",)
    mine.write_text(
        MINE.replace("facts = []", 'facts = [["nobody", "child", "anything"]]')
        + '\n[[case]]\ntitle = "Ann Smith"\ntext = "Ann Smith is the mother of Tom Jones."\n'
        'facts = [["ann smith", "child", "tom jones"]]\n'
    )
    report = check_catalog([str(mine)])
    assert report.uncovered == ()
    [failed] = report.failed
    assert failed.case.where == f"{mine}: case 2"
    assert failed.missing == {("nobody", "child", "anything")} and failed.extra == set()


def test_cli_exit_status_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(MINE)
    assert main(["catalog", "check", str(mine)]) == 1
    out = capsys.readouterr().out
    assert "NO CASE child_v1/parent_of" in out
    assert out.strip().endswith("2/2 cases pass; 1 pattern(s) without a case")
    cases = tmp_path / "more.toml"
    cases.write_text(
        '[[case]]\ntitle = "Ann Smith"\ntext = "Ann Smith is the mother of Tom Jones."\n'
        'facts = [["ann smith", "child", "tom jones"]]\n'
    )
    assert main(["catalog", "check", str(mine), "--cases", str(cases)]) == 0
    assert capsys.readouterr().out.strip() == "3/3 cases pass; 0 pattern(s) without a case"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ('text = ""\nfacts = []', "text must be a non-empty string"),
        ('text = "x"', "facts must be a list"),
        ('text = "x"\nfacts = [["a", "b"]]', "facts must be a list"),
        ('text = "x"\nfacts = []\nexpected = []', "unknown field"),
        ('title = ""\ntext = "x"\nfacts = []', "title must be"),
    ],
)
def test_bad_case_is_named(case: str, message: str) -> None:
    import tomllib

    with pytest.raises(CatalogError, match=message) as err:
        parse_cases(tomllib.loads("[[case]]\n" + case), "mine.toml")
    assert str(err.value).startswith("mine.toml: case 1")


def test_cli_bad_case_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[case]]\ntext = "x"\n')
    mine = tmp_path / "mine.toml"
    mine.write_text(MINE)
    assert main(["catalog", "check", str(mine), "--cases", str(bad)]) == 2
    assert "bad.toml: case 1: facts must be" in capsys.readouterr().err
