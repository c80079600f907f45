"""How a run keyed its facts, read back from its manifest: for the analysis-side readers.

``singletons score``, ``questions``, ``grade`` and the ``value_key`` SQL function of
:func:`singleton_rate.query.connect` key a question's or answer's text exactly as the run keyed
its mentions; :func:`run_keys` gives them the run's relations (value type, lexicon) and risk
threshold. It sits below :mod:`singleton_rate.query` and :mod:`singleton_rate.score` so that
neither imports the other for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from singleton_rate.contract import VALUE_TYPES, settings_of
from singleton_rate.extract.catalog import Catalog, CatalogError, Relation, load_catalog


class ScoreError(ValueError):
    """A question file or output that cannot be used at all (named in the message)."""



_VERSION_SUFFIX = re.compile(r"_v\d+$")


def _fold_attribute(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


@dataclass(frozen=True, slots=True)
class RunKeys:
    """How the run keyed facts: its attributes' relations and risk threshold."""

    relations: dict[str, Relation]  # attribute name → relation (value type, lexicon patterns)
    aliases: dict[str, str]  # folded spelling ("birth_date_v2", "birth date") → attribute
    rare_max: int
    catalog_matches: bool  # the loaded catalog's fingerprint equals the run's
    notes: tuple[str, ...] = ()

    def attribute(self, name: str) -> str | None:
        """The run's attribute a question names, or ``None`` when the catalog has none."""
        return self.aliases.get(_fold_attribute(name))


def run_keys(manifest: dict[str, Any], attributes: Sequence[str] = ()) -> RunKeys:
    """The run's attributes with their value types, from its manifest.

    The manifest records each relation's versioned name and value type, which decide the
    key; ``text`` values are also canonicalized through the relation's lexicon, taken from
    the catalog the run was made with (its ``relations`` files, when still readable) or
    else the shipped one (``catalog_matches`` says whether its fingerprint is the run's).
    ``attributes`` (those in the run's facts) are accepted even if the manifest lacks them.
    """
    config = manifest.get("config", {})
    notes: list[str] = []
    try:
        catalog: Catalog = load_catalog(tuple(config.get("relations") or ()))
    except CatalogError as exc:
        notes.append(f"the run's relation files cannot be read ({exc}); using the shipped catalog")
        catalog = load_catalog()
    recorded = manifest.get("catalog") or {}
    catalog_matches = recorded.get("fingerprint") == catalog.fingerprint
    if recorded and not catalog_matches:
        notes.append(
            f"this checkout's catalog ({catalog.fingerprint}) is not the run's "
            f"({recorded.get('fingerprint')}): text values use this checkout's lexicons"
        )
    loaded = {r.name: r for r in catalog.relations}
    relations: dict[str, Relation] = {}
    aliases: dict[str, str] = {}
    for entry in recorded.get("relations") or []:
        versioned, value_type = str(entry["name"]), str(entry["value"])
        name = _VERSION_SUFFIX.sub("", versioned)
        rel = loaded.get(name)
        if rel is None or rel.value != value_type or rel.versioned_name != versioned:
            # Keep the run's value type; without the run's patterns there is no lexicon.
            rel = Relation(name=name, version=0, subject="", value=value_type, patterns=())
        relations[name] = rel
        aliases[_fold_attribute(versioned)] = name
    if not relations:  # an old manifest without the catalog: the loaded one stands in
        notes.append("the manifest records no catalog; using this checkout's")
        relations = dict(loaded)
        aliases.update({_fold_attribute(r.versioned_name): r.name for r in loaded.values()})
    for name in attributes:
        if name not in relations and name in loaded:
            relations[name] = loaded[name]
    for name in relations:
        aliases[_fold_attribute(name)] = name
    unknown_types = {r.value for r in relations.values()} - set(VALUE_TYPES)
    if unknown_types:
        raise ScoreError(f"the run's catalog has unknown value types {sorted(unknown_types)}")
    return RunKeys(
        relations, aliases, settings_of(manifest).rare_max, catalog_matches, tuple(notes)
    )
