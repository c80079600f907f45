"""Reading corpus snapshots: find the files, plan work units, read them into records.

The driver calls :func:`discover` then :func:`plan_units`; each worker calls
:func:`read_unit` on its unit and gets a :class:`Document` or a :class:`Reject` for every
record, so nothing is dropped without a reason code (:class:`RejectReason`).
"""

from singleton_rate.corpus.discover import InputError, InputFile, WorkUnit, discover, plan_units
from singleton_rate.corpus.document import Document, Reject, RejectReason
from singleton_rate.corpus.readers import FieldNames, read_unit

__all__ = [
    "Document",
    "FieldNames",
    "InputError",
    "InputFile",
    "Reject",
    "RejectReason",
    "WorkUnit",
    "discover",
    "plan_units",
    "read_unit",
]
