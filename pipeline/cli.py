"""The ``singletons`` command.

``singletons run PATH... --out DIR`` takes a corpus snapshot to a run folder and prints the
estimates; ``singletons estimate --fof FILE`` estimates from a frequency-of-frequencies
table made anywhere. Expected failures (bad input, an existing run, no Java) end with a
one-line message and exit status 2, never a stack trace.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from pipeline.config import ConfigError, load_config


def expected_errors() -> tuple[type[Exception], ...]:
    """Failures that end with one line and exit status 2, never a stack trace.

    Imported when needed: the modules behind them load Spark glue and spaCy, which a
    quick ``singletons sql`` should not pay for at start-up.
    """
    from pipeline.corpus import InputError
    from pipeline.estimate import FofError
    from pipeline.extract.catalog import CatalogError
    from pipeline.extract.model import ModelError
    from pipeline.run import TooManyRejects
    from pipeline.spark import JavaMissing
    from pipeline.store import RunExists

    return (
        TooManyRejects,
        ConfigError,
        InputError,
        CatalogError,
        ModelError,
        JavaMissing,
        RunExists,
        FofError,
    )


def parse_conf(pairs: Sequence[str] | None) -> dict[str, str]:
    """``--conf KEY=VALUE`` flags as a dict; anything else is a one-line :class:`ConfigError`.

    Both sides are stripped; the value may hold ``=``.

    Examples
    --------
    >>> parse_conf(["spark.driver.memory=4g", "spark.x = a=b"])
    {'spark.driver.memory': '4g', 'spark.x': 'a=b'}
    """
    conf = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"--conf {pair!r}: expected KEY=VALUE, e.g. --conf spark.driver.memory=4g"
            )
        conf[key.strip()] = value.strip()
    return conf


GLOB_CHARS = "*?["
# File-name endings dropped from a run's default name, longest first ("x.jsonl.gz" → "x").
NAME_SUFFIXES = (".gz", ".zst", ".jsonl", ".json", ".ndjson", ".parquet", ".txt")


def default_out(path: str) -> str:
    """The default run folder for an input ``path``: ``runs/<name>``, never a glob.

    ``name`` is the file's or folder's name without its format suffixes; for a glob, the
    literal start of its first component with a glob character (``shard-*.jsonl`` →
    ``shard``), or, when that start is empty, the folder the glob sits in (``data/*.jsonl``
    → ``data``; a relative glob without a folder: the working folder); ``run`` when there is
    none (``/*.jsonl``).

    Examples
    --------
    >>> default_out("/data/*.jsonl"), default_out("/data/shard-*.jsonl.gz")
    ('runs/data', 'runs/shard')
    >>> default_out("/corpora/sample.jsonl.zst"), default_out("/corpora/sample/")
    ('runs/sample', 'runs/sample')
    """
    parts = Path(os.path.abspath(os.path.expanduser(path))).parts
    name = ""
    for i, part in enumerate(parts):
        if any(c in part for c in GLOB_CHARS):
            name = re.split(r"[*?\[]", part, maxsplit=1)[0].rstrip("-_. ")
            if not name and i > 1:  # parts[0] is the root
                name = parts[i - 1]
            break
    else:
        name = parts[-1] if len(parts) > 1 else ""
        while name.lower().endswith(NAME_SUFFIXES) and "." in name[1:]:
            name = name[: name.rfind(".")]
    return str(Path("runs") / (name or "run"))


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "corpus.jsonl"


def _run(args: argparse.Namespace) -> int:
    from pipeline.run import run
    from pipeline.summary import format_estimates

    inputs = args.paths or None
    if inputs is None and not args.config:
        if not SAMPLE.exists():
            from pipeline.corpus import InputError

            raise InputError("no input PATH given and the bundled sample is not in this checkout")
        inputs = [str(SAMPLE)]
    spark_conf = parse_conf(args.conf)
    config = load_config(
        args.config,
        inputs=inputs,
        out=args.out,
        text_field=args.text_field,
        id_field=args.id_field,
        title_field=args.title_field,
        source_field=args.source_field,
        limit_docs=args.limit_docs,
        max_reject_rate=args.max_reject_rate,
        master=args.master,
        relations=args.relations,
        prefilter=args.prefilter,
        overwrite=args.overwrite or None,
        spark_conf=spark_conf or None,
    )
    if not config.out:
        config = replace(config, out=default_out(config.inputs[0]))
    result = run(config)
    docs = result.manifest["documents"]
    print(f"\nrun folder: {result.path}")
    print(
        f"documents: {docs['records_read']} read = {docs['processed']} processed "
        f"({docs['parsed']} parsed, {docs['processed'] - docs['parsed']} skipped by the prefilter)"
        f" + {docs['failed']} failed + {docs['rejected_at_read']} rejected at read"
    )
    statuses = result.manifest["mentions"]["by_status"]
    print(
        "mentions: "
        + (", ".join(f"{v} {k}" for k, v in sorted(statuses.items())) or "none")
        + " (only asserted mentions are counted)"
    )
    catalog, model = result.manifest["catalog"], result.manifest["versions"]["model"]
    print(
        f"catalog: {catalog['name']} v{catalog['version']}"
        f" ({catalog['fingerprint']}); model: {model['name']} {model['version']}"
    )
    print(f"time: {sum(result.manifest['timings_s'].values()):.1f}s\n")
    print(format_estimates(result.estimates, confidence=config.confidence))
    return 0


def _estimate(args: argparse.Namespace) -> int:
    from pipeline.estimate import FreqOfFreq, summarize
    from pipeline.estimate.io import read_fof

    table: FreqOfFreq = read_fof(args.fof)
    summary = summarize(
        table,
        error_set_min=args.error_set_min,
        error_set_max=args.error_set_max or args.error_set_min,
        confidence=args.confidence,
        theorem_confidence=args.theorem_confidence,
        calibration_error=args.calibration_error,
    )
    record = summary.as_dict()
    if args.format == "json":
        print(json.dumps(record, indent=2))
    else:
        width = max(map(len, record))
        for key, value in record.items():
            shown = f"{value:.6g}" if isinstance(value, float) else str(value)
            print(f"{key.ljust(width)}  {shown}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluate import run_evaluation
    from pipeline.spark import build_session

    corpora = Path(args.corpora)
    missing = [c for c in ("google_re", "trex") if not (corpora / c).is_dir()]
    if missing:
        from pipeline.corpus import InputError

        raise InputError(f"{corpora}: no {' or '.join(missing)} folder (see --corpora)")
    spark = build_session(args.master or "local[*]")
    try:
        reports = run_evaluation(corpora, args.out, spark=spark, limit=args.limit)
    finally:
        spark.stop()
    for corpus, report in reports.items():
        print(f"\n{corpus}:\n{report.table()}")
    print(
        f"\nreport: {Path(args.out) / 'report.json'} and report.parquet (error samples in the JSON)"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from pipeline.validate import format_validation, validate

    try:
        rows = validate(args.run, holdout=args.holdout, seed=args.seed, confidence=args.confidence)
    except ValueError as exc:  # not a run, a bad holdout, nothing to validate: all named
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps([asdict(r) for r in rows], indent=2))
    else:
        print(format_validation(rows))
    return 0


def _sql(args: argparse.Namespace) -> int:
    from pipeline.sqlshell import run_query, shell

    if args.query is None:
        if args.output or args.format != "table":
            print("singletons: error: --format/--output need a QUERY", file=sys.stderr)
            return 2
        return shell(args.run, max_rows=args.max_rows)
    return run_query(
        args.run,
        args.query,
        fmt=args.format,
        output=args.output,
        max_rows=args.max_rows,
        timing=args.timing,
    )


def _score(args: argparse.Namespace) -> int:
    from pipeline.score import (
        Fields,
        format_summary,
        output_format,
        score,
        summary_path,
        write_scores,
        write_summary,
    )

    try:
        output = Path(args.output or f"{Path(args.questions).stem}-scores.parquet")
        output_format(output)  # an unknown extension fails before any work
        fields = Fields(args.entity_field, args.attribute_field, args.value_field, args.id_field)
        table, summary = score(args.run, args.questions, fields=fields, confidence=args.confidence)
        write_scores(table, output)
        summary_file = write_summary(summary, args.summary or summary_path(output))
    except ValueError as exc:  # not a run, an unusable question file or output: all named
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_summary(summary))
        print(f"\nper question: {output}\nsummary: {summary_file}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    try:
        out = write_report(args.run, args.output)
    except ValueError as exc:  # not a run
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    print(f"report: {out}")
    return 0


def version_text() -> str:
    """``singletons VERSION (catalog NAME vN, fingerprint F)``: what ``--version`` prints.

    The version is the installed package's (``importlib.metadata``); the built-in catalog's
    fingerprint (about 0.1 s to compute) is the one a run's manifest records, so runs made
    by the same code and relations can be recognised.
    """
    import pipeline

    text = f"singletons {pipeline.__version__}"
    try:
        from pipeline.extract.catalog import load_catalog

        catalog = load_catalog(())
    except Exception as exc:  # --version must answer even from a broken install
        return f"{text} (catalog unreadable: {exc})"
    return f"{text} (catalog {catalog.name} v{catalog.version}, fingerprint {catalog.fingerprint})"


class _Version(argparse.Action):
    """``--version``, computed only when asked (the catalog is not loaded for every command)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="singletons",
        description="Good–Turing singleton-rate analysis of a corpus's facts.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract, count and estimate over a corpus snapshot")
    run.add_argument(
        "paths",
        nargs="*",
        help="files, folders or globs of JSONL(.gz/.zst), Parquet or .txt "
        "(default: the bundled sample)",
    )
    run.add_argument(
        "--out",
        help="the run folder to write (default: runs/NAME, NAME from the first input: the "
        "file or folder name without suffixes; for a glob, its literal start (shard-*.jsonl: "
        "shard) or else its folder (data/*.jsonl: data))",
    )
    run.add_argument("--config", help="a TOML file of settings (flags override it)")
    run.add_argument(
        "--text-field",
        help="the document text field, a dotted path for nested ones (default: text)",
    )
    run.add_argument("--id-field", help="the document id field (default: id)")
    run.add_argument("--title-field", help="the document title field (default: title)")
    run.add_argument(
        "--source-field",
        "--stratify-by",
        dest="source_field",
        help="a field naming each document's source (domain, shard…): estimates per source; "
        "a dotted path reaches nested fields (meta.pile_set_name)",
    )
    run.add_argument(
        "--limit-docs", type=int, help="read only the first N records, for a quick look"
    )
    run.add_argument(
        "--max-reject-rate",
        type=float,
        help="fail when more than this share of records is rejected (default: 0.1)",
    )
    run.add_argument("--master", help="Spark master URL (default: local[*])")
    run.add_argument("--relations", action="append", help="an extra relation file (repeatable)")
    run.add_argument(
        "--prefilter",
        choices=("sentence", "document", "off"),
        help="what skips the parser: sentences that cannot hold a fact (default), whole "
        "documents that cannot, or nothing (for benchmarks)",
    )
    run.add_argument("--conf", action="append", metavar="KEY=VALUE", help="an extra Spark setting")
    run.add_argument("--overwrite", action="store_true", help="replace an existing run folder")
    run.set_defaults(func=_run)

    est = sub.add_parser("estimate", help="estimates from a frequency-of-frequencies table")
    est.add_argument("--fof", required=True, help="CSV or Parquet with columns r, n_r")
    est.add_argument("--error-set-min", type=int, default=364, help="min_c |E_c| (default: 364)")
    est.add_argument("--error-set-max", type=int, help="max_c |E_c| (default: --error-set-min)")
    est.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        help="level of the missing-mass and Chao1 intervals (default: 0.95)",
    )
    est.add_argument(
        "--theorem-confidence",
        type=float,
        default=0.99,
        help="probability 1 − γ with which Theorem 2's floor and ceiling hold (default: 0.99)",
    )
    est.add_argument(
        "--calibration-error",
        type=float,
        default=0.0,
        help="Theorem 2's δ, the base model's calibration error (default: 0, calibrated)",
    )
    est.add_argument(
        "--format", choices=("json", "table"), default="json", help="output (default: json)"
    )
    est.set_defaults(func=_estimate)

    ev = sub.add_parser(
        "evaluate",
        help="precision and recall of the pipeline on the annotated corpora (Google-RE, T-REx)",
    )
    ev.add_argument(
        "--corpora",
        default=str(Path(__file__).resolve().parents[2] / "shared" / "corpora"),
        help="the folder holding google_re/ and trex/ (default: ../shared/corpora)",
    )
    ev.add_argument("--out", default="runs/evaluate", help="where the runs and report go")
    ev.add_argument("--limit", type=int, help="only the first N facts of each corpus file")
    ev.add_argument("--master", help="Spark master URL (default: local[*])")
    ev.set_defaults(func=_evaluate)

    val = sub.add_parser(
        "validate",
        help="check the Good–Turing estimate against held-out documents of a run",
    )
    val.add_argument("run", help="a run folder")
    val.add_argument("--holdout", type=float, default=0.2, help="share of documents held out")
    val.add_argument("--seed", type=int, default=0, help="seed of the document split")
    val.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        help="level of the train part's missing-mass intervals (default: 0.95)",
    )
    val.add_argument(
        "--format", choices=("json", "table"), default="table", help="output (default: table)"
    )
    val.set_defaults(func=_validate)

    sql = sub.add_parser(
        "sql",
        help="query a run with DuckDB (read-only): a view per table, macros; no QUERY: a prompt",
    )
    sql.add_argument("run", help="a run folder (only read)")
    sql.add_argument("query", nargs="?", help="SQL to run (default: an interactive prompt)")
    sql.add_argument(
        "--format",
        choices=("table", "csv", "json", "parquet"),
        default="table",
        help="result format (default: table; parquet needs --output)",
    )
    sql.add_argument("--output", help="write the result to this file (outside the run)")
    sql.add_argument(
        "--max-rows", type=int, default=1000, help="rows shown by --format table (default: 1000)"
    )
    sql.add_argument("--timing", action="store_true", help="print connect and query times")
    sql.set_defaults(func=_sql)

    sc = sub.add_parser(
        "score",
        help="how often the corpus states each question's fact (a benchmark's, say)",
    )
    sc.add_argument("run", help="a run folder")
    sc.add_argument(
        "questions",
        help="CSV, TSV, JSON lines, JSON array or Parquet of (entity, attribute[, value])",
    )
    sc.add_argument(
        "--output",
        help="per-question file, .parquet, .csv or .jsonl "
        "(default: ./<QUESTIONS name>-scores.parquet)",
    )
    sc.add_argument(
        "--summary", help="summary JSON (default: beside --output, <name>.summary.json)"
    )
    sc.add_argument("--entity-field", default="entity", help="(default: entity)")
    sc.add_argument("--attribute-field", default="attribute", help="(default: attribute)")
    sc.add_argument("--value-field", default="value", help="(default: value; absent: prompt key)")
    sc.add_argument("--id-field", default="id", help="carried through when present (default: id)")
    sc.add_argument(
        "--confidence", type=float, default=0.95, help="of the Wilson intervals (default: 0.95)"
    )
    sc.add_argument(
        "--format",
        choices=("json", "table"),
        default="table",
        help="how the summary is printed (default: table)",
    )
    sc.set_defaults(func=_score)

    rep = sub.add_parser("report", help="one self-contained HTML report of a run")
    rep.add_argument("run", help="a run folder (only read)")
    rep.add_argument("--output", help="the HTML file (default: ./<RUN name>-report.html)")
    rep.set_defaults(func=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("singletons: interrupted; no run folder was written", file=sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, expected_errors()):
            raise
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
