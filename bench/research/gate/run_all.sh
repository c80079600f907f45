#!/bin/sh
# Reproduces every number of REPORT.md (single process, ~10 min on one core; no spaCy parser, no Spark).
# The run /work/runs/wiki_now was made by git e8c3997; its code (catalog, prefilter, sentence
# splitter) is exported beside these scripts so that HEAD's later catalog changes do not leak in:
#   (cd /work/main && git archive e8c39972ee5c087ef316247f51e38be087d399eb pipeline | tar -x -C /work/notes/gate/src_e8c3997)
set -e
cd "$(dirname "$0")"
PY=/work/main/.venv/bin/python
export PYTHONPATH=src_e8c3997/pipeline:.
mkdir -p out
nice $PY spans.py                                  # step 1: gate decisions per pre-parse sentence -> out/spans.parquet
$PY analyze.py q1.sql q_check.sql > out/q_check.txt  # reproduction check against documents.parsed_chars
$PY analyze.py q1.sql q2.sql > out/q2.txt          # Q1: pass vs yielding chars
nice $PY breakdown.py > out/breakdown.md          # Q2: wasted chars by trigger class / pattern / relation / word
nice $PY sim.py default 2> out/sim_default.log     # Q3: rules R1..R4 -> out/rules_default.parquet
$PY analyze.py q1.sql q_r1words.sql > out/q_r1words.txt
nice $PY sim2.py v2 2> out/sim2_v2.log             # Q3: refinements -> out/rules_v2.parquet
nice $PY routes.py r4 2> out/routes_r4.log         # Q3: cue routes per span -> out/routes_r4.parquet
for l in family family_doc label label_doc; do
  $PY route_value.py r4 5 $l > /dev/null           # greedy route pruning on the dev half
done
$PY evaluate.py default > out/eval_default.txt
$PY evaluate.py v2 > out/eval_v2.txt
for l in family family_doc label label_doc; do
  $PY evaluate.py r4_$l --detail G1.0 > out/eval_r4_$l.txt
  for h in dev test; do $PY evaluate.py r4_$l --half $h > out/eval_r4_${l}_$h.txt; done
done
$PY sample_lost.py out/lost_r4_label_doc_G1.0.csv > out/sample_lost_label_doc_G1.0.txt
$PY sample_lost.py out/lost_r4_family_doc_G1.0.csv > out/sample_lost_family_doc_G1.0.txt
# the catalog's own [[case]] tables through the chosen sets, and the sets widened to pass them
for s in label_doc family_doc; do
  $PY check_cases.py out/routes_r4_set_${s}_G1.0.txt $s out/routes_r4_set_${s}_G1.0_cases.txt > out/check_cases_$s.txt
  $PY apply_set.py r4 r4_cases_$s $s G1.0=out/routes_r4_set_${s}_G1.0.txt G1.0+cases=out/routes_r4_set_${s}_G1.0_cases.txt
  $PY evaluate.py r4_cases_$s > out/eval_r4_cases_$s.txt
done
$PY analyze.py q1.sql q_doctype.sql > out/q_doctype.txt
