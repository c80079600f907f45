"""Extraction cases as data: a sentence and the exact facts it must yield.

A case is a ``[[case]]`` table, in a relation file beside the relations it exercises or in a
file of cases alone (the shipped ones are ``relations/*_cases.toml``)::

    [[case]]
    title = "Marie Curie"          # the document's title (optional: a page without one)
    text = "She was born in Warsaw, Poland."
    facts = [["marie curie", "birth_place", "warsaw"]]

``facts`` are (entity key, attribute, value key) triples and must be *all* the asserted
facts the catalog in force extracts from the text: ``facts = []`` says nothing may come out
(a hedge, a relative's birth place). ``singletons catalog check`` runs them
(:func:`check_cases`), and reports any pattern no case makes fire.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from singleton_rate.extract.catalog import Catalog, CatalogError

Fact = tuple[str, str, str]
SHIPPED_CASES: tuple[str, ...] = ("relations/core_cases.toml", "relations/wikipedia_cases.toml")
_CASE_FIELDS = frozenset({"title", "text", "facts"})


@dataclass(frozen=True, slots=True)
class Case:
    """One sentence (or short text) and the asserted facts it must yield, exactly."""

    title: str | None
    text: str
    facts: frozenset[Fact]
    where: str  # "FILE: case N", for messages


@dataclass(frozen=True, slots=True)
class CaseResult:
    """What a case yielded: the facts, and the patterns that fired (any status)."""

    case: Case
    got: frozenset[Fact]
    patterns: frozenset[str]

    @property
    def passed(self) -> bool:
        return self.got == self.case.facts

    @property
    def missing(self) -> frozenset[Fact]:
        return self.case.facts - self.got

    @property
    def extra(self) -> frozenset[Fact]:
        return self.got - self.case.facts


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every case's result, and the patterns (of those checked) that no case made fire."""

    results: tuple[CaseResult, ...]
    uncovered: tuple[str, ...]

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.uncovered


def parse_cases(data: dict[str, Any], source: str) -> list[Case]:
    """The ``[[case]]`` tables of a parsed TOML file (none is an empty list).

    Raises
    ------
    CatalogError
        Naming the file, the case's number and the problem.

    Examples
    --------
    >>> [c.facts for c in parse_cases({"case": [{"text": "x", "facts": [["a", "b", "c"]]}]}, "f")]
    [frozenset({('a', 'b', 'c')})]
    """
    raw = data.get("case", [])
    if not isinstance(raw, list):
        raise CatalogError(f"{source}: case must be an array of tables ([[case]])")
    out = []
    for n, case in enumerate(raw, 1):
        where = f"{source}: case {n}"
        if not isinstance(case, dict):
            raise CatalogError(f"{where}: must be a table, got {case!r}")
        unknown = set(case) - _CASE_FIELDS
        if unknown:
            raise CatalogError(f"{where}: unknown field(s) {sorted(unknown)}")
        text, title, facts = case.get("text"), case.get("title"), case.get("facts")
        if not isinstance(text, str) or not text.strip():
            raise CatalogError(f"{where}: text must be a non-empty string")
        if title is not None and (not isinstance(title, str) or not title.strip()):
            raise CatalogError(f"{where}: title must be a non-empty string when given")
        if not isinstance(facts, list) or not all(
            isinstance(f, list) and len(f) == 3 and all(isinstance(x, str) and x for x in f)
            for f in facts
        ):
            raise CatalogError(
                f"{where}: facts must be a list of [entity, attribute, value] string triples "
                "(facts = [] when nothing may come out)"
            )
        out.append(Case(title, text, frozenset(tuple(f) for f in facts), where))
    return out


def read_cases(path: str | Path) -> list[Case]:
    """The cases of one TOML file (a relation file, or a file of cases alone)."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read case file: {exc.strerror}") from exc
    return _cases_of(text, str(path))


def shipped_cases(names: Sequence[str] = SHIPPED_CASES) -> list[Case]:
    """The cases that cover the shipped catalog (``relations/*_cases.toml``), or those of
    the shipped files ``names``."""
    root = resources.files("singleton_rate.extract")
    out: list[Case] = []
    for name in names:
        text = root.joinpath(name).read_text("utf-8")
        out.extend(_cases_of(text, f"pipeline/singleton_rate/extract/{name}"))
    return out


def _cases_of(text: str, source: str) -> list[Case]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: not valid TOML: {exc}") from exc
    return parse_cases(data, source)


def check_cases(
    extractor: Any, cases: Sequence[Case], patterns: Iterable[str] | None = None
) -> CheckReport:
    """Run every case through ``extractor`` and compare its asserted facts, exactly.

    Parameters
    ----------
    extractor : Extractor
        Built on the catalog to check (:class:`~singleton_rate.extract.extractor.Extractor`).
    cases : sequence of Case
        Each is extracted as a document of its own.
    patterns : iterable of str, optional
        Pattern names that must each fire (in any status) on some case; default every
        pattern of the extractor's catalog.

    Returns
    -------
    CheckReport
        The results in case order and the patterns left uncovered, sorted.
    """
    from singleton_rate.corpus import Document

    catalog: Catalog = extractor.catalog
    docs = [Document(f"case{i}", c.text, c.title, None, c.where) for i, c in enumerate(cases)]
    results = []
    for case, result in zip(cases, extractor.extract(docs), strict=True):
        got = frozenset(
            (m.entity, m.attribute, m.value) for m in result.mentions if m.status == "asserted"
        )
        results.append(CaseResult(case, got, frozenset(m.pattern for m in result.mentions)))
    wanted = (
        {p.name for r in catalog.relations for p in r.patterns}
        if patterns is None
        else set(patterns)
    )
    fired = set().union(*(r.patterns for r in results)) if results else set()
    return CheckReport(tuple(results), tuple(sorted(wanted - fired)))


def format_report(report: CheckReport) -> str:
    """The lines ``singletons catalog check`` prints: failures, uncovered patterns, a total."""
    lines = []
    for r in report.failed:
        lines.append(f"FAIL {r.case.where}: {r.case.text!r}")
        for fact in sorted(r.missing):
            lines.append(f"  missing {list(fact)}")
        for fact in sorted(r.extra):
            lines.append(f"  extra   {list(fact)}")
    for name in report.uncovered:
        lines.append(f"NO CASE {name}: no case makes this pattern fire")
    passed = len(report.results) - len(report.failed)
    lines.append(
        f"{passed}/{len(report.results)} cases pass; "
        f"{len(report.uncovered)} pattern(s) without a case"
    )
    return "\n".join(lines)


def check_catalog(
    relation_files: Sequence[str] = (),
    case_files: Sequence[str] = (),
    *,
    shipped: bool | None = None,
    model: str | None = None,
) -> CheckReport:
    """``singletons catalog check``: the catalog with ``relation_files``, against cases.

    With no relation file the shipped catalog runs the shipped cases, and every pattern
    must have one. With relation files, their own ``[[case]]`` tables and ``case_files``
    run (plus the shipped cases when ``shipped``), and every pattern of *their* relations
    must fire on some case: a relation replacing a shipped one is checked as the user wrote
    it, the shipped cases of the relation it replaced are not expected to hold.
    """
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.extract.extractor import Extractor
    from singleton_rate.extract.model import resolve_model_name

    catalog = load_catalog(tuple(relation_files))
    cases: list[Case] = []
    if shipped or (shipped is None and not relation_files):
        cases.extend(shipped_cases())
    for path in (*relation_files, *case_files):
        cases.extend(read_cases(path))
    if not cases:
        raise CatalogError(
            "no cases to check: add [[case]] tables to the relation file or pass --cases FILE"
        )
    patterns = None
    if relation_files:
        core = load_catalog().relations
        patterns = [p.name for r in catalog.relations if r not in core for p in r.patterns]
    extractor = Extractor(catalog, resolve_model_name(model))
    return check_cases(extractor, cases, patterns)
