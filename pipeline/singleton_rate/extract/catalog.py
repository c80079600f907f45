"""The relation catalog: relations as data files, validated into typed records.

A catalog file is TOML (see ``relations/core.toml`` for the documented format). Loading
checks every field and fails with a :class:`CatalogError` that names the file, the relation
and the problem, so a user's own relation file is debugged from the message alone.

Word-list fields of a pattern (``words``, ``preps``, ``deps``, ``nouns``, ``not_before``,
``not_heads``, ``labels``) may name a list with ``"@name"``: one of the file's own
``[words]`` table, of ``relations/core.toml``'s, or of the shipped ``relations/words.toml``
(:mod:`singleton_rate.extract.words`). ``@occupations`` and ``@countries`` in ``nouns`` stay
lexicon references (entries with canonical forms, :mod:`singleton_rate.extract.lexicon`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from singleton_rate.contract import VALUE_TYPES
from singleton_rate.extract.kinds import kind as pattern_kind
from singleton_rate.extract.kinds import kinds
from singleton_rate.extract.lexicon import LEXICONS, load_lexicon
from singleton_rate.extract.provenance import extraction_digest
from singleton_rate.extract.words import parse_word_lists, shipped_word_lists

ValueType = Literal["date", "place", "entity", "text", "country"]
PatternKind = str  # a registered kind's name (singleton_rate.extract.kinds)

SUBJECT_TYPES: tuple[str, ...] = ("PERSON", "ORG", "ANY")
VOICES: tuple[str, ...] = ("any", "active", "passive")
SUBJECT_ROLES: tuple[str, ...] = ("subject", "object")
VALUE_ROLES: tuple[str, ...] = ("object", "subject")
TAKES: tuple[str, ...] = ("noun", "modifier", "prep")
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
# spaCy (OntoNotes) entity labels a pattern's `labels` may name.
KNOWN_LABELS: frozenset[str] = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
    }
)


class CatalogError(ValueError):
    """A relation file that cannot be used, with the file, relation and problem named."""


def noun_entries(nouns: tuple[str, ...]) -> list[str]:
    """Every entry a pattern's ``nouns`` name: the words themselves, and each ``@lexicon``'s
    entries (the prefilter matches them whole)."""
    out: list[str] = []
    for noun in nouns:
        out.extend(load_lexicon(noun[1:]).entries if noun.startswith("@") else (noun,))
    return out


@functools.cache
def _noun_words(nouns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for e in noun_entries(nouns) for w in re.split(r"[\s\-]+", e) if w)


def _last_of_each(entries: Iterable[str]) -> frozenset[str]:
    """The last word of each entry, words split at spaces and hyphens."""
    words = (re.split(r"[\s\-]+", e.strip()) for e in entries)
    return frozenset(w[-1] for w in words if w and w[-1])


@functools.cache
def _noun_heads(nouns: tuple[str, ...]) -> frozenset[str]:
    """The words entries end at in a parse: the last word, or for an "X of Y" entry the word
    before "of" ("member of parliament" is headed by "member", "of parliament" hangs on it)."""
    return _last_of_each(e.strip().split(" of ")[0] for e in noun_entries(nouns))


def plural(word: str) -> str:
    """The regular English plural of a noun ("musician" → "musicians", "poetess" →
    "poetesses", "secretary" → "secretaries", "chairman" → "chairmen").

    Examples
    --------
    >>> [plural(w) for w in ("poet", "actress", "deputy", "chairman", "coach")]
    ['poets', 'actresses', 'deputies', 'chairmen', 'coaches']
    """
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _last_words(nouns: tuple[str, ...]) -> frozenset[str]:
    """Every entry's last word: what a text must hold for the entry to be in it ("member of
    parliament" needs "parliament", a rarer word than its head "member", so the gate stays
    as narrow as the entry)."""
    return _last_of_each(noun_entries(nouns))


@functools.cache
def _plural_heads(nouns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(plural(h) for h in _noun_heads(nouns)) - _noun_heads(nouns)


@functools.cache
def _trigger_groups(
    words: tuple[str, ...], nouns: tuple[str, ...], appositive: bool = False
) -> tuple[frozenset[str], ...]:
    # A restricted noun must end at one of its entries' last words, so those (not every word
    # of every entry: "and" of "track and field athlete") are what a text must hold. An
    # appositive noun needs no anchor verb ("producer Scott Rudin", "the poet X").
    # An appositive noun may also be plural before the names it lists ("poets Du Fu and Fang
    # Gan", "musicians like X, Y and Z").
    groups = [] if appositive and nouns else [frozenset(words)]
    if nouns:
        plurals = frozenset(plural(w) for w in _last_words(nouns)) if appositive else frozenset()
        groups.append(_last_words(nouns) | plurals)
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way a relation is stated in text.

    ``name`` is the versioned relation name plus the pattern id, e.g. ``birth_place_v1/born``:
    it is what every mention records as the pattern that fired. The other fields are those
    of ``relations/core.toml``; each kind reads only its own (its :class:`Kind`'s ``fields``).
    """

    name: str
    kind: PatternKind
    words: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    part: int = 0
    voice: str = "any"
    subject_role: str = "subject"
    value_role: str = "object"
    nouns: tuple[str, ...] = ()  # plain words and "@lexicon" references
    take: str = "noun"
    labels: tuple[str, ...] = ()
    appositive: bool = False
    not_before: tuple[str, ...] = ()
    not_heads: tuple[str, ...] = ()  # last words that disqualify an entity value
    # Fields of a kind's own that no other kind reads (sorted (name, TOML value) pairs): a
    # new kind needs no new field here. Its Kind.check validates them.
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, name: str, default: Any = None) -> Any:
        """A kind's own field (:attr:`options`), or ``default`` when the pattern omits it."""
        return dict(self.options).get(name, default)

    @property
    def triggers(self) -> tuple[str, ...]:
        """Anchor words a text must contain for this pattern to fire (``("(",)`` for lifespans).

        See :attr:`trigger_groups` for the whole condition the prefilter applies.
        """
        return self.words if pattern_kind(self.kind).anchored else ("(",)

    @property
    def noun_words(self) -> frozenset[str]:
        """The words of ``nouns`` and of every entry of the lexicons it names, lower-case."""
        return _noun_words(self.nouns)

    @property
    def noun_heads(self) -> frozenset[str]:
        """The last word of every entry of ``nouns``: where a predicate noun can end."""
        return _noun_heads(self.nouns)

    @property
    def plural_heads(self) -> frozenset[str]:
        """The plurals of :attr:`noun_heads` that are no head themselves: where a plural noun
        listing names may end ("poets Du Fu and Fang Gan")."""
        return _plural_heads(self.nouns)

    @property
    def trigger_groups(self) -> tuple[frozenset[str], ...]:
        """Word sets a text must each share a word with for this pattern to fire.

        Every pattern needs one of its anchor ``words`` (an appositive one with ``nouns`` does
        not: "producer Scott Rudin" has no verb); a pattern that restricts a noun (``nouns``)
        also needs the last word of one of those nouns. Empty for lifespans, which the
        prefilter tests with a regular expression instead. Words are lower-case.
        """
        k = pattern_kind(self.kind)
        if not k.anchored:
            return ()
        own = k.triggers(self)
        if own is not None:
            return own
        return _trigger_groups(self.words, self.nouns, self.appositive)

    def accepts_noun(self, text: str) -> str | None:
        """The canonical entry of ``nouns`` that ``text`` is, or ``None`` (case-insensitive).

        With no ``nouns`` every text is accepted as itself.
        """
        if not self.nouns:
            return text
        low = " ".join(text.lower().split())
        for noun in self.nouns:
            if noun.startswith("@"):
                hit = load_lexicon(noun[1:]).lookup(text)
                if hit is not None:
                    return hit
            elif noun == low:
                return low
        return None


@dataclass(frozen=True, slots=True)
class Relation:
    """An attribute the analyzer counts: ``birth_date``, ``birth_place``, …"""

    name: str
    version: int
    subject: str
    value: ValueType
    patterns: tuple[Pattern, ...]
    description: str = ""
    # One true value per subject (Kalai et al. 2025, Definition 1: V_c = {a_c, IDK}): only
    # then does their Theorem 2 floor apply to the relation's singleton rate.
    single_valued: bool = False
    # Question phrasings with one ``{entity}`` placeholder (``singletons questions``), and
    # other names of the relation in question sets ("P19", "place of birth"). Data about how
    # to ask, not counting rules: they are not in the catalog's fingerprint.
    question_templates: tuple[str, ...] = ()
    question_aliases: tuple[str, ...] = ()

    @property
    def versioned_name(self) -> str:
        return f"{self.name}_v{self.version}"


_NOT_RULES = frozenset({"question_templates", "question_aliases"})


@dataclass(frozen=True, slots=True)
class Catalog:
    """The relations in force for a run, with a fingerprint recorded in the manifest."""

    name: str
    version: int
    relations: tuple[Relation, ...]
    sources: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        """A short hash of the rules: two runs with equal hashes used equal rules.

        It covers the relations (with every ``@name`` list expanded in place, so a named
        list no pattern uses is no rule) and
        :func:`~singleton_rate.extract.provenance.extraction_digest`:
        the extraction code and every shipped data file beside it (lexicons, the country
        table, ``relations/words.toml``), so an edit to an interpreter or a word list is a new
        fingerprint even when no relation changed.
        """
        rules = [
            {k: v for k, v in asdict(r).items() if k not in _NOT_RULES} for r in self.relations
        ]
        payload = json.dumps(rules, sort_keys=True)
        payload += extraction_digest()
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
                    "single_valued": r.single_valued,
                    "patterns": [p.name for p in r.patterns],
                }
                for r in self.relations
            ],
        }


def _fail(source: str, relation: str | None, problem: str) -> CatalogError:
    where = f"{source}: relation {relation!r}" if relation else source
    return CatalogError(f"{where}: {problem}")


Lists = dict[str, tuple[str, ...]]


def _str_list(
    raw: Any, source: str, rel: str, field: str, lists: Lists | None = None
) -> tuple[str, ...]:
    """A pattern's word list, lower-cased, with ``"@name"`` entries expanded from ``lists``.

    ``@name`` entries that name a lexicon stay as written (only ``nouns`` reads lexicons;
    :func:`_parse_pattern` rejects them elsewhere). Duplicates are dropped, first kept.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise _fail(source, rel, f"{field} must be a list of non-empty strings, got {raw!r}")
    out: list[str] = []
    for item in raw:
        item = item.strip()
        if item.startswith("@") and item[1:] not in LEXICONS:
            if lists is None or item[1:] not in lists:
                raise _fail(
                    source,
                    rel,
                    f"{field}: unknown lexicon {item!r} or word list; lexicons: "
                    f"{['@' + x for x in LEXICONS]}, word lists: {sorted(lists or ())}",
                )
            out.extend(lists[item[1:]])
        else:
            out.append(item)
    return tuple(dict.fromkeys(x.lower() for x in out))


def _choice(raw: Any, field: str, choices: tuple[str, ...], fail: Any) -> str:
    value = raw.get(field, choices[0])
    if value not in choices:
        raise fail(f"{field} must be one of {choices}, got {value!r}")
    return value


def _frozen(value: Any) -> Any:
    """A TOML value made hashable (arrays as tuples, tables as sorted pairs): Pattern is."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


# The fields Pattern holds (and _parse_pattern parses) for any kind that reads them.
_COMMON_FIELDS = frozenset(
    {
        "words",
        "preps",
        "deps",
        "part",
        "voice",
        "subject_role",
        "value_role",
        "nouns",
        "take",
        "labels",
        "appositive",
        "not_before",
        "not_heads",
    }
)


def _parse_pattern(
    raw: Any, source: str, rel_name: str, versioned: str, value_type: str, lists: Lists
) -> Pattern:
    if not isinstance(raw, dict):
        raise _fail(source, rel_name, f"a pattern must be a table, got {raw!r}")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.isidentifier():
        raise _fail(source, rel_name, f"pattern id must be an identifier, got {pid!r}")

    def fail(problem: str) -> CatalogError:
        return _fail(source, rel_name, f"pattern {pid!r}: {problem}")

    kind = raw.get("kind")
    known = kinds()
    if kind not in known:
        raise fail(f"kind must be one of {tuple(sorted(known))}, got {kind!r}")
    spec = known[kind]
    unknown = set(raw) - {"id", "kind"} - spec.fields
    if unknown:
        raise fail(f"unknown field(s) {sorted(unknown)} for kind {kind!r}")
    if value_type not in spec.values:
        raise fail(
            f"{kind} patterns yield {sorted(spec.values)} values, "
            f"not the relation's value {value_type!r}"
        )
    words = _str_list(raw.get("words"), source, rel_name, f"pattern {pid!r}: words", lists)
    preps = _str_list(raw.get("preps"), source, rel_name, f"pattern {pid!r}: preps", lists)
    deps = _str_list(raw.get("deps"), source, rel_name, f"pattern {pid!r}: deps", lists)
    nouns = _str_list(raw.get("nouns"), source, rel_name, f"pattern {pid!r}: nouns", lists)
    not_before = _str_list(
        raw.get("not_before"), source, rel_name, f"pattern {pid!r}: not_before", lists
    )
    not_heads = tuple(
        x.lower()
        for x in _str_list(
            raw.get("not_heads"), source, rel_name, f"pattern {pid!r}: not_heads", lists
        )
    )
    labels = tuple(
        x.upper()
        for x in _str_list(raw.get("labels"), source, rel_name, f"pattern {pid!r}: labels", lists)
    )
    bad_labels = sorted(set(labels) - KNOWN_LABELS)
    if bad_labels:
        raise fail(f"unknown entity label(s) {bad_labels}")
    lexicon_refs = [
        w for w in (*words, *preps, *deps, *not_before, *not_heads, *labels) if w[:1] == "@"
    ]
    if lexicon_refs:
        raise fail(f"lexicons {lexicon_refs} are only read in nouns")
    part = raw.get("part", 0)
    voice = _choice(raw, "voice", VOICES, fail)
    subject_role = _choice(raw, "subject_role", SUBJECT_ROLES, fail)
    value_role = _choice(raw, "value_role", VALUE_ROLES, fail)
    take = _choice(raw, "take", TAKES, fail)
    appositive = raw.get("appositive", False)
    if not isinstance(appositive, bool):
        raise fail(f"appositive must be true or false, got {appositive!r}")
    if spec.anchored and not words:
        raise fail(f"{kind} needs words")
    # Anchors are matched against single tokens: the tokenizer splits "co-founded" into
    # "co", "-", "founded", so such a word could never fire.
    multi = [w for w in words if re.search(r"\s|[^\W\d_]-[^\W\d_]", w)]
    if multi:
        raise fail(f"words must be single tokens (no spaces or inner hyphens): {multi}")
    own = spec.fields - _COMMON_FIELDS
    options = tuple(sorted((k, _frozen(v)) for k, v in raw.items() if k in own))
    pattern = Pattern(
        name=f"{versioned}/{pid}",
        kind=kind,
        words=words,
        preps=preps,
        deps=deps,
        part=part,
        voice=voice,
        subject_role=subject_role,
        value_role=value_role,
        nouns=nouns,
        take=take,
        labels=labels,
        appositive=appositive,
        not_before=not_before,
        not_heads=not_heads,
        options=options,
    )
    spec.check(pattern, value_type, fail)  # the kind's own rules
    return pattern


def _parse_relation(raw: Any, source: str, lists: Lists) -> Relation:
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
    single_valued = raw.get("single_valued", False)
    if not isinstance(single_valued, bool):
        raise _fail(source, name, f"single_valued must be true or false, got {single_valued!r}")
    unknown = set(raw) - {
        "name",
        "version",
        "subject",
        "value",
        "description",
        "pattern",
        "single_valued",
        "questions",
    }
    if unknown:
        raise _fail(source, name, f"unknown field(s) {sorted(unknown)}")
    raw_patterns = raw.get("pattern")
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise _fail(source, name, "needs at least one [[relation.pattern]]")
    versioned = f"{name}_v{version}"
    patterns = tuple(_parse_pattern(p, source, name, versioned, value, lists) for p in raw_patterns)
    ids = [p.name for p in patterns]
    if len(set(ids)) != len(ids):
        raise _fail(source, name, f"duplicate pattern ids in {ids}")
    templates, aliases = _parse_questions(raw.get("questions", {}), source, name)
    return Relation(
        name=name,
        version=version,
        subject=subject,
        value=value,
        patterns=patterns,
        description=str(raw.get("description", "")),
        single_valued=single_valued,
        question_templates=templates,
        question_aliases=aliases,
    )


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _parse_questions(raw: Any, source: str, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A relation's ``[relation.questions]``: ``templates`` (each with one ``{entity}``)."""
    if not isinstance(raw, dict):
        raise _fail(source, name, f"questions must be a table, got {raw!r}")
    unknown = set(raw) - {"templates", "aliases"}
    if unknown:
        raise _fail(source, name, f"unknown field(s) in questions: {sorted(unknown)}")
    templates = _text_list(raw.get("templates", []), source, name, "questions.templates")
    for template in templates:
        fields = _PLACEHOLDER.findall(template)
        if fields != ["entity"] or template.count("{") != 1 or template.count("}") != 1:
            raise _fail(
                source, name, f"question template {template!r} needs exactly one {{entity}}"
            )
    aliases = _text_list(raw.get("aliases", []), source, name, "questions.aliases")
    return templates, aliases


def _text_list(raw: Any, source: str, rel: str, field: str) -> tuple[str, ...]:
    """A list of non-empty strings, kept as written (case included)."""
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise _fail(source, rel, f"{field} must be a list of non-empty strings, got {raw!r}")
    return tuple(x.strip() for x in raw)


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """One parsed catalog file: its relations and the word lists it defines."""

    name: str
    version: int
    relations: list[Relation]
    words: Lists


def read_catalog_file(text: str, source: str, inherited: Lists | None = None) -> CatalogFile:
    """Parse one catalog file's TOML text; ``source`` names it in errors.

    ``@name`` references resolve against the file's own ``[words]``, then ``inherited``
    (the shipped catalog's lists, for a user's file), then ``relations/words.toml``. A file's
    ``[[case]]`` tables (``singletons catalog check``) are not rules and are not read here.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, None, f"not valid TOML: {exc}") from exc
    try:
        own = parse_word_lists(data.get("words", {}), source)
    except ValueError as exc:
        raise CatalogError(str(exc)) from exc
    shipped = shipped_word_lists()
    clash = sorted(set(own) & (set(shipped) | set(LEXICONS)))
    if clash:
        raise _fail(
            source,
            None,
            f"word list(s) {clash} would shadow a shipped list or lexicon of the same name: "
            "the extraction code reads those from relations/words.toml; pick another name",
        )
    lists = {**shipped, **(inherited or {}), **own}
    raw_relations = data.get("relation")
    if not isinstance(raw_relations, list) or not raw_relations:
        raise _fail(source, None, "has no [[relation]] tables")
    relations = [_parse_relation(r, source, lists) for r in raw_relations]
    return CatalogFile(
        str(data.get("catalog", Path(source).stem)), int(data.get("version", 1)), relations, own
    )


def parse_catalog(text: str, source: str) -> tuple[str, int, list[Relation]]:
    """Parse one catalog file's TOML text; ``source`` names it in errors."""
    parsed = read_catalog_file(text, source)
    return parsed.name, parsed.version, parsed.relations


def load_catalog(extra_files: list[str] | tuple[str, ...] = ()) -> Catalog:
    """The shipped catalog plus the user's relation files.

    A user relation with the same name as a shipped one replaces it (so a user can tighten a
    pattern without touching the package); the replacement is visible in the fingerprint.
    """
    source = "relations/core.toml"
    text = resources.files("singleton_rate.extract").joinpath(source).read_text("utf-8")
    core = read_catalog_file(text, f"pipeline/singleton_rate/extract/{source}")
    by_name = {r.name: r for r in core.relations}
    sources = ["core"]
    for path in extra_files:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise CatalogError(f"{path}: cannot read relation file: {exc.strerror}") from exc
        extra = read_catalog_file(text, path, inherited=core.words)
        for rel in extra.relations:
            by_name[rel.name] = rel
        sources.append(str(path))
    return Catalog(
        name=core.name,
        version=core.version,
        relations=tuple(by_name.values()),
        sources=tuple(sources),
    )
