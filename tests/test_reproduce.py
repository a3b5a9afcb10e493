"""raa_impact.reproduce: the reference figures and the pinned recovery study re-run and checked;
a corrupted reference fails `--check` and is named; the CLI path through `run(args)`."""
from __future__ import annotations

import argparse
import doctest
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri
from raa_impact import reproduce as rp

#: Figures ORACLES.md lists that the Python API cannot reach (tested in Rust instead).


@pytest.fixture(scope="module")
def full():
    t0 = time.perf_counter()
    r = rp.reproduce(progress=False)
    return r, time.perf_counter() - t0


def _copy_references(tmp_path: Path) -> Path:
    """A private copy of the packaged references (JSON + the mpdta CSV tables beside it)."""
    for f in rp.REFERENCES.parent.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / rp.REFERENCES.name


def _edit(path: Path, fid: str, **changes) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    figures = spec["figures"] + spec["recovery"]["figures"]
    (fig,) = [f for f in figures if f["id"] == fid]
    fig.update(changes)
    path.write_text(json.dumps(spec), encoding="utf-8")


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="raa-impact")
    p.add_argument("--quiet", action="store_true")
    rp.add_parser(p.add_subparsers(dest="command", required=True))
    return p.parse_args(list(argv))


def test_the_default_run_passes_within_its_time_budget(full):
    r, seconds = full
    f = r.to_frame()
    assert r.ok, r.failures()[["id", "note"]].to_string()
    assert seconds <= 30
    assert (f.status == "n/a").sum() == 0  # every ORACLES.md figure is reachable from Python
    # every reference of the JSON (and every cell of the mpdta tables) was re-run
    refs = rp.load_references()
    assert set(refs["id"]) <= set(f["id"])
    cells = f.loc[f["id"].str.startswith("did.mpdta.attgt[")]
    assert len(cells) == 2 * 12 and (cells.status == "ok").all()
    # each compared value is within its tolerance, recomputed here from the table itself
    done = f.loc[(f.status == "ok") & f.kind.isin(["abs", "rel"])]
    scale = np.where(done.kind == "rel", done.reference.abs(), 1.0)
    assert (done["diff"] <= done.tolerance * scale).all()


def test_recovery_rows_compare_each_estimator_with_the_truth(full):
    r, _ = full
    f = r.to_frame().set_index("id")
    for fid, check in (("recovery.psm.same_month", "ci95"), ("recovery.psm.la_exact", "none"),
                       ("recovery.cs.simple", "3se"), ("recovery.multilevel.step", "3se")):
        row = f.loc[fid]
        assert row.truth_check == check
        assert np.isfinite(row.truth) and np.isfinite(row.value) and row.se > 0
        assert row["diff"] <= 1e-6 * abs(row.reference)  # the pinned estimate for seed 0
        if check == "ci95":
            assert row.ci_low <= row.truth <= row.ci_high
        if check == "3se":
            assert abs(row.value - row.truth) <= 3 * row.se
    its = f.loc[f.index.str.startswith("recovery.its_controlled[")]
    assert len(its) >= 15
    covered = ((its.ci_low <= its.truth) & (its.truth <= its.ci_high)).mean()
    assert f.loc["recovery.its_controlled.coverage", "value"] == pytest.approx(covered)
    assert covered >= 0.8
    text = r.summary()
    assert "Recovery: truth vs estimate" in text and "95% CI covers the truth" in text


def test_printed_figures_that_disagree_are_shown_with_their_passage_not_failed(full):
    r, _ = full
    f = r.to_frame().set_index("id")
    share = f.loc["published.fal.outside_la_pct"]
    assert share.status == "ok" and share.value == pytest.approx(100 * 93 / 354)
    assert "printed 25 DIFFERS" in share.note and "25%" in share.note
    assert "agrees" in f.loc["published.bkm.a2.regional_average", "note"]
    assert f.loc["published.bkm.a1.regional_average", "value"] == 424
    assert "DIFFERS" in f.loc["published.bkm.a1.diff.bexley", "note"]


def test_a_figure_changed_beyond_tolerance_fails_check_and_is_named(tmp_path, capsys):
    path = _copy_references(tmp_path)
    _edit(path, "psm.lalonde.att", value=894.367 + 0.01)  # tolerance 1e-3 abs
    assert rp.run(_args("--quiet", "reproduce", "--no-recovery", "--references", str(path))) == 0
    capsys.readouterr()
    assert rp.run(_args("--quiet", "reproduce", "--check", "--no-recovery", "--references", str(path))) == 1
    err = capsys.readouterr().err
    assert "psm.lalonde.att" in err and "1 figure(s)" in err
    with pytest.raises(rp.ReproduceCheckError, match="psm.lalonde.att") as exc:
        rp.reproduce(check=True, recovery=False, progress=False, references=path)
    assert exc.value.result.failures()["id"].tolist() == ["psm.lalonde.att"]
    assert isinstance(exc.value, ri.RaaImpactError)


def test_a_changed_table_cell_and_a_drifted_recovery_pin_fail(tmp_path):
    path = _copy_references(tmp_path)
    cells = pd.read_csv(tmp_path / "mpdta_cs_attgt_nevertreated_dr.csv")
    cells.loc[0, "se"] *= 1 + 1e-6  # tolerance 1e-7 rel
    cells.to_csv(tmp_path / "mpdta_cs_attgt_nevertreated_dr.csv", index=False)
    pin = [p for p in json.loads(path.read_text())["recovery"]["figures"] if p["id"] == "recovery.cs.simple"][0]
    _edit(path, "recovery.cs.simple", value=pin["value"] * (1 + 1e-5))  # pinned at 1e-6 rel
    r = rp.reproduce(progress=False, references=path)
    failed = r.failures()
    assert set(failed["id"]) == {"did.mpdta.attgt[group=2004,t=2004].se", "recovery.cs.simple"}
    assert "drifted" in failed.set_index("id").loc["recovery.cs.simple", "note"]


def test_cli_run_writes_csv_and_json(tmp_path, capsys):
    out = tmp_path / "figures.csv"
    assert rp.run(_args("--quiet", "reproduce", "--check", "--no-recovery", "--out", str(out))) == 0
    printed = capsys.readouterr().out
    assert "ITS: Sicily smoking ban" in printed and "figure" in printed and "status" in printed
    table = pd.read_csv(out)
    assert {"figure", "reference", "value", "diff", "tolerance", "status"} <= set(table.columns)
    assert (table.status != "FAIL").all()
    js = tmp_path / "figures.json"
    assert rp.run(_args("reproduce", "--no-recovery", "--quiet", "--out", str(js))) == 0
    assert len(json.loads(js.read_text())) == len(table)
    with pytest.raises(ri.ArgumentError, match="--out"):
        rp.run(_args("reproduce", "--no-recovery", "--out", str(tmp_path / "figures.txt")))


def test_another_seed_checks_the_truth_but_not_the_pins():
    r = rp.reproduce(seed=1, progress=False)
    rec = r.to_frame().set_index("id").loc[["recovery.psm.same_month", "recovery.cs.simple"]]
    assert rec.reference.isna().all()
    assert rec.note.str.contains("no pin for this seed").all()
    assert rec.truth_ok.notna().all()
    # the pins of seed 0 differ from this run: a different draw, not a drift
    assert r.meta["seed"] == 1


def test_write_references_repins_the_recovery_only(tmp_path, full):
    r, _ = full
    target = tmp_path / "oracles.json"
    rp.write_references(r, target)
    new, old = json.loads(target.read_text()), json.loads(rp.REFERENCES.read_text())
    assert new["figures"] == old["figures"] and new["tables"] == old["tables"]
    assert [p["id"] for p in new["recovery"]["figures"]] == [p["id"] for p in old["recovery"]["figures"]]
    for a, b in zip(new["recovery"]["figures"], old["recovery"]["figures"]):
        assert a["value"] == pytest.approx(b["value"], rel=1e-6)
    assert (tmp_path / "mpdta_cs_pretest_nevertreated_dr.csv").exists()


def test_a_failing_step_is_reported_not_raised(monkeypatch):
    def broken(_inputs):
        raise ri.DataError("no such column")

    runs = [(label, prefix, broken if prefix == "its.sicily." else fn) for label, prefix, fn in rp.runs.REFERENCE_RUNS]
    monkeypatch.setattr(rp.runner, "REFERENCE_RUNS", runs)
    r = rp.reproduce(recovery=False, progress=False)
    failed = r.failures()
    sicily = rp.load_references()["id"].str.startswith("its.sicily.")
    assert not r.ok and set(failed["id"]) == set(rp.load_references().loc[sicily, "id"])
    assert failed["note"].str.contains("no such column").all()


def test_bad_references_are_named(tmp_path):
    bad = tmp_path / "oracles.json"
    bad.write_text("{not json")
    with pytest.raises(ri.ArgumentError, match="references"):
        rp.load_references(bad)
    path = _copy_references(tmp_path)
    _edit(path, "psm.lalonde.att", kind="percent")
    with pytest.raises(ri.ArgumentError, match="percent"):
        rp.load_references(path)


def test_quiet_from_the_top_level_parser_is_kept():
    assert _args("--quiet", "reproduce").quiet is True
    assert _args("reproduce", "--quiet").quiet is True
    assert not getattr(_args("reproduce"), "quiet", False)


def test_docstring_examples_run():
    result = doctest.testmod(rp, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_a_missing_table_or_value_is_named(tmp_path):
    path = _copy_references(tmp_path)
    (tmp_path / "mpdta_cs_pretest_nevertreated_dr.csv").unlink()
    with pytest.raises(ri.ArgumentError, match="mpdta_cs_pretest_nevertreated_dr.csv"):
        rp.load_references(path)
    path = _copy_references(tmp_path)
    spec = json.loads(path.read_text())
    del spec["figures"][0]["value"]
    path.write_text(json.dumps(spec))
    with pytest.raises(ri.ArgumentError, match="`value`"):
        rp.load_references(path)


def test_published_figures_are_recomputed_from_the_printed_inputs(tmp_path):
    path = _copy_references(tmp_path)
    spec = json.loads(path.read_text())
    spec["published_inputs"]["bexley_kent_medway"]["las"][1]["A1"] = 366  # Kent 363 -> 366
    path.write_text(json.dumps(spec))
    r = rp.reproduce(recovery=False, progress=False, references=path)
    failed = r.failures().set_index("id")
    assert set(failed.index) == {"published.bkm.a1.kent", "published.bkm.a1.diff.kent",
                                 "published.bkm.a1.regional_average", "published.bkm.a1.diff.regional_average"}
    assert failed.loc["published.bkm.a1.regional_average", "value"] == 425  # (340 + 366 + 569) / 3


def test_a_failing_recovery_step_fails_and_cannot_be_pinned(monkeypatch, tmp_path):
    def steps(seed, scale):
        def broken():
            raise ri.ArgumentError("invalid argument `scale`")
        return [("recovery: broken", broken)]

    monkeypatch.setattr(rp.runner, "_recovery_steps", steps)
    r = rp.reproduce(progress=False)
    failed = r.failures().set_index("id")
    assert "recovery.error[recovery: broken]" in failed.index
    assert "invalid argument `scale`" in failed.loc["recovery.error[recovery: broken]", "note"]
    assert failed.loc["recovery.psm.same_month", "note"] == "pinned figure not computed"
    with pytest.raises(ri.ArgumentError, match="pins must come from a run"):
        rp.write_references(r, tmp_path / "oracles.json")
