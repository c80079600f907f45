"""The opt-in Python worker daemon that loads the model before it forks the workers."""

from __future__ import annotations

import pytest

from singleton_rate import worker_daemon
from singleton_rate.extract.model import load_model, resolve_model_name


def test_no_model_named_loads_nothing() -> None:
    assert worker_daemon.preload(None) is False
    assert worker_daemon.preload("") is False


def test_a_failed_preload_is_reported_and_the_daemon_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert worker_daemon.preload("no_such_model_package") is False
    captured = capsys.readouterr()
    assert captured.out == ""  # stdout is the daemon's channel to the JVM
    assert "preloading no_such_model_package" in captured.err


def test_the_preloaded_model_is_the_one_workers_get() -> None:
    name = resolve_model_name()
    assert worker_daemon.preload(name) is True
    # The extractor of a forked worker asks load_model, which answers from this cache.
    assert load_model(name) is load_model(name)
    assert load_model.cache_info().currsize >= 1


def test_the_run_model_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(worker_daemon.PRELOAD_ENV, "some_model")
    assert worker_daemon.model_to_preload() == "some_model"
    monkeypatch.delenv(worker_daemon.PRELOAD_ENV)
    assert worker_daemon.model_to_preload() == resolve_model_name()
