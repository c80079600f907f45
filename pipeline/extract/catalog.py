"""The relation catalog: relations as data files, validated into typed records.

A catalog file is TOML (see ``relations/core.toml`` for the documented format). Loading
checks every field and fails with a :class:`CatalogError` that names the file, the relation
and the problem, so a user's own relation file is debugged from the message alone.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

ValueType = Literal["date", "place", "entity", "text"]
PatternKind = Literal["verb_arg", "lifespan"]

VALUE_TYPES: tuple[str, ...] = ("date", "place", "entity", "text")
SUBJECT_TYPES: tuple[str, ...] = ("PERSON", "ORG", "ANY")
PATTERN_KINDS: tuple[str, ...] = ("verb_arg", "lifespan")
# spaCy dependency labels a verb_arg pattern may name: anything else is a typo.
KNOWN_DEPS: frozenset[str] = frozenset(
    {
        "npadvmod",
        "nmod",
        "tmod",
        "nummod",
        "dobj",
        "attr",
        "oprd",
        "appos",
        "pobj",
        "advmod",
        "acomp",
        "dative",
        "agent",
    }
)


class CatalogError(ValueError):
    """A relation file that cannot be used, with the file, relation and problem named."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way a relation is stated in text.

    ``name`` is the versioned relation name plus the pattern id, e.g. ``birth_place_v1/born``:
    it is what every mention records as the pattern that fired.
    """

    name: str
    kind: PatternKind
    words: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    part: int = 0

    @property
    def triggers(self) -> tuple[str, ...]:
        """Words a sentence must contain for this pattern to fire (the prefilter's input)."""
        return self.words if self.kind == "verb_arg" else ("(",)


@dataclass(frozen=True, slots=True)
class Relation:
    """An attribute the analyzer counts: ``birth_date``, ``birth_place``, …"""

    name: str
    version: int
    subject: str
    value: ValueType
    patterns: tuple[Pattern, ...]
    description: str = ""

    @property
    def versioned_name(self) -> str:
        return f"{self.name}_v{self.version}"


@dataclass(frozen=True, slots=True)
class Catalog:
    """The relations in force for a run, with a fingerprint recorded in the manifest."""

    name: str
    version: int
    relations: tuple[Relation, ...]
    sources: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        """A short hash of the relations' content: two runs with equal hashes used equal rules."""
        payload = json.dumps([asdict(r) for r in self.relations], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        return f"{self.name}_v{self.version}+{self.fingerprint}"

    def relation(self, name: str) -> Relation:
        for rel in self.relations:
            if rel.name == name:
                return rel
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "fingerprint": self.fingerprint,
            "sources": list(self.sources),
            "relations": [
                {
                    "name": r.versioned_name,
                    "subject": r.subject,
                    "value": r.value,
                    "patterns": [p.name for p in r.patterns],
                }
                for r in self.relations
            ],
        }


def _fail(source: str, relation: str | None, problem: str) -> CatalogError:
    where = f"{source}: relation {relation!r}" if relation else source
    return CatalogError(f"{where}: {problem}")


def _str_list(raw: Any, source: str, rel: str, field: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise _fail(source, rel, f"{field} must be a list of non-empty strings, got {raw!r}")
    return tuple(x.strip().lower() for x in raw)


def _parse_pattern(raw: Any, source: str, rel_name: str, versioned: str) -> Pattern:
    if not isinstance(raw, dict):
        raise _fail(source, rel_name, f"a pattern must be a table, got {raw!r}")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.isidentifier():
        raise _fail(source, rel_name, f"pattern id must be an identifier, got {pid!r}")
    kind = raw.get("kind")
    if kind not in PATTERN_KINDS:
        raise _fail(
            source, rel_name, f"pattern {pid!r}: kind must be one of {PATTERN_KINDS}, got {kind!r}"
        )
    known = {"id", "kind", "words", "preps", "deps", "part"}
    unknown = set(raw) - known
    if unknown:
        raise _fail(source, rel_name, f"pattern {pid!r}: unknown field(s) {sorted(unknown)}")
    words = _str_list(raw.get("words"), source, rel_name, f"pattern {pid!r}: words")
    preps = _str_list(raw.get("preps"), source, rel_name, f"pattern {pid!r}: preps")
    deps = _str_list(raw.get("deps"), source, rel_name, f"pattern {pid!r}: deps")
    part = raw.get("part", 0)
    if kind == "verb_arg":
        if not words:
            raise _fail(source, rel_name, f"pattern {pid!r}: verb_arg needs words")
        if not preps and not deps:
            raise _fail(source, rel_name, f"pattern {pid!r}: verb_arg needs preps or deps")
        bad = sorted(set(deps) - KNOWN_DEPS)
        if bad:
            raise _fail(source, rel_name, f"pattern {pid!r}: unknown dependency label(s) {bad}")
    elif kind == "lifespan" and part not in (1, 2):
        raise _fail(source, rel_name, f"pattern {pid!r}: lifespan part must be 1 or 2")
    return Pattern(
        name=f"{versioned}/{pid}", kind=kind, words=words, preps=preps, deps=deps, part=part
    )


def _parse_relation(raw: Any, source: str) -> Relation:
    if not isinstance(raw, dict):
        raise _fail(source, None, f"each [[relation]] must be a table, got {raw!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        raise _fail(source, str(name), "name must be a lower-case identifier like birth_place")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(source, name, f"version must be a positive integer, got {version!r}")
    subject = raw.get("subject", "PERSON")
    if subject not in SUBJECT_TYPES:
        raise _fail(source, name, f"subject must be one of {SUBJECT_TYPES}, got {subject!r}")
    value = raw.get("value")
    if value not in VALUE_TYPES:
        raise _fail(source, name, f"value must be one of {VALUE_TYPES}, got {value!r}")
    unknown = set(raw) - {"name", "version", "subject", "value", "description", "pattern"}
    if unknown:
        raise _fail(source, name, f"unknown field(s) {sorted(unknown)}")
    raw_patterns = raw.get("pattern")
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise _fail(source, name, "needs at least one [[relation.pattern]]")
    versioned = f"{name}_v{version}"
    patterns = tuple(_parse_pattern(p, source, name, versioned) for p in raw_patterns)
    ids = [p.name for p in patterns]
    if len(set(ids)) != len(ids):
        raise _fail(source, name, f"duplicate pattern ids in {ids}")
    if any(p.kind == "lifespan" for p in patterns) and value != "date":
        raise _fail(source, name, "lifespan patterns only yield dates: value must be 'date'")
    return Relation(
        name=name,
        version=version,
        subject=subject,
        value=value,
        patterns=patterns,
        description=str(raw.get("description", "")),
    )


def parse_catalog(text: str, source: str) -> tuple[str, int, list[Relation]]:
    """Parse one catalog file's TOML text; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, None, f"not valid TOML: {exc}") from exc
    raw_relations = data.get("relation")
    if not isinstance(raw_relations, list) or not raw_relations:
        raise _fail(source, None, "has no [[relation]] tables")
    relations = [_parse_relation(r, source) for r in raw_relations]
    return str(data.get("catalog", Path(source).stem)), int(data.get("version", 1)), relations


def load_catalog(extra_files: list[str] | tuple[str, ...] = ()) -> Catalog:
    """The shipped catalog plus the user's relation files.

    A user relation with the same name as a shipped one replaces it (so a user can tighten a
    pattern without touching the package); the replacement is visible in the fingerprint.
    """
    core = resources.files("pipeline.extract").joinpath("relations/core.toml").read_text("utf-8")
    name, version, relations = parse_catalog(core, "pipeline/extract/relations/core.toml")
    by_name = {r.name: r for r in relations}
    sources = ["core"]
    for path in extra_files:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise CatalogError(f"{path}: cannot read relation file: {exc.strerror}") from exc
        _, _, extra = parse_catalog(text, path)
        for rel in extra:
            by_name[rel.name] = rel
        sources.append(str(path))
    return Catalog(
        name=name, version=version, relations=tuple(by_name.values()), sources=tuple(sources)
    )
