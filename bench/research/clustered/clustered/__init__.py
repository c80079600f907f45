"""Good–Turing missing-mass estimation when occurrences cluster in documents.

Two layers, both pure numpy:

- :mod:`clustered.summaries` — the *count-stage* reference: from raw per-mention arrays
  ``(doc_id, key)`` to the few small tables (a handful of scalars, one row per document
  group) that the estimators need. Each function is written so it translates to SQL
  (``GROUP BY`` + joins); ``REPORT.md`` gives the SQL shape.
- :mod:`clustered.intervals` — the estimators and 95% intervals computed from those tables
  only: the cluster-robust Esty score interval, Esty with a Kish design effect, the
  delete-a-group jackknife, the distribution-free interval at Kish's effective sample size,
  the cluster-robust held-out check, and Theorem 2's sampling term at an effective ``N``.
"""

from clustered.intervals import (
    ClusteredInterval,
    HeldoutCheck,
    cluster_variance,
    design_effect,
    esty_score_cluster_interval,
    esty_score_deff_interval,
    free_interval_effective,
    heldout_check,
    heldout_share_interval,
    jackknife_interval,
    kish_effective_n,
    normal_quantile,
    sampling_term_effective,
    score_interval,
    student_t_quantile,
)
from clustered.summaries import (
    ClusterSummary,
    GroupTable,
    HeldoutSummary,
    PartitionOutput,
    cluster_summary,
    combine_partitions,
    document_groups,
    group_table,
    heldout_summary,
    occurrences,
    partition_output,
)

__all__ = [
    "ClusterSummary",
    "ClusteredInterval",
    "GroupTable",
    "HeldoutCheck",
    "HeldoutSummary",
    "PartitionOutput",
    "cluster_summary",
    "cluster_variance",
    "combine_partitions",
    "design_effect",
    "document_groups",
    "esty_score_cluster_interval",
    "esty_score_deff_interval",
    "free_interval_effective",
    "group_table",
    "heldout_check",
    "heldout_share_interval",
    "heldout_summary",
    "jackknife_interval",
    "kish_effective_n",
    "normal_quantile",
    "occurrences",
    "partition_output",
    "sampling_term_effective",
    "score_interval",
    "student_t_quantile",
]
