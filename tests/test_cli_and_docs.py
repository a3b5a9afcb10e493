"""The command line, and the examples in the docstrings."""
from __future__ import annotations

import doctest
import importlib
import os
import subprocess
import sys

import pandas as pd
import pytest

import raa_impact as ri
from raa_impact import cli

MODULES = ["raa_impact", "raa_impact.ssda903", "raa_impact.journeys", "raa_impact.registry",
           "raa_impact.indicators", "raa_impact.synthetic", "raa_impact.psm", "raa_impact.datasets",
           "raa_impact.designs", "raa_impact.its", "raa_impact.multiple_baseline",
           "raa_impact.randomization", "raa_impact.twfe", "raa_impact.multilevel",
           "raa_impact.staggered", "raa_impact.abadie_imbens", "raa_impact.reproduce", "raa_impact.evaluate", "raa_impact.evaluate.run",
           "raa_impact.evaluate.config", "raa_impact.evaluate.section", "raa_impact.evaluate.disclosure"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("sub", [[], ["synth"], ["validate"], ["journeys"], ["scorecard"], ["evaluate"], ["reproduce"]])
def test_help(sub, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(sub + ["--help"])
    assert e.value.code == 0
    assert "usage: raa-impact" in capsys.readouterr().out


def test_synth_then_validate_journeys_scorecard(tmp_path, capsys):
    out = tmp_path / "eng"
    assert cli.main(["--quiet", "synth", "--out", str(out), "--scale", "0.03", "--seed", "4"]) == 0
    assert (out / "886" / "2018" / "episodes.csv").exists()
    assert (out / "truth_children.csv").exists()
    capsys.readouterr()
    assert cli.main(["--quiet", "validate", str(out), "--fail-on-error"]) == 0
    assert "no problems found" in capsys.readouterr().out
    jpath = tmp_path / "j.csv"
    assert cli.main(["--quiet", "journeys", str(out), "--out", str(jpath)]) == 0
    j = pd.read_csv(jpath)
    assert len(j) > 100 and "po_to_placed_days" in j.columns
    assert cli.main(["--quiet", "scorecard", str(out), "--by", "la", "--indicator", "A1,A2",
                     "--out", str(tmp_path / "s.csv")]) == 0
    s = pd.read_csv(tmp_path / "s.csv")
    assert set(s.indicator) == {"A1", "A2"}


def test_scorecard_before_after_on_synthetic(capsys):
    assert cli.main(["--quiet", "scorecard", "--synthetic", "--scale", "0.05", "--before-after",
                     "--indicator", "A1,A2"]) == 0
    out = capsys.readouterr().out
    assert "before go-live" in out and "Adoption Counts" in out
    assert "A2_after" in out


def test_validate_reports_problems_and_fails_on_error(tmp_path, capsys):
    from conftest import DATA

    code = cli.main(["--quiet", "validate", str(DATA / "ssda903_fake_csc_validator"), "--fail-on-error"])
    # The fake files have no LA/year in their path: a clear error, exit code 2, no traceback.
    assert code == 2
    assert "DataError" in capsys.readouterr().err
    code = cli.main(["--quiet", "validate", str(DATA / "ssda903_fake_csc_validator"), "--la", "999",
                     "--year", "2018", "--out", str(tmp_path / "p.csv"), "--fail-on-error"])
    assert code == 1
    out = capsys.readouterr().out
    assert "code_list" in out and "error" in out
    assert len(pd.read_csv(tmp_path / "p.csv")) > 100


def test_console_script_is_installed():
    exe = os.path.join(os.path.dirname(sys.executable), "raa-impact")
    r = subprocess.run([exe, "--help"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "synth" in r.stdout
