"""The evaluation framework: config checks, failing sections reported alone, escaping,
disclosure control and the command line. The sections' own numbers are tested in
test_evaluate_psm.py and test_evaluate_its.py; the rendered report in test_report_browser.py."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import raa_impact as ri
from raa_impact.cli import main
from raa_impact.evaluate import Config, defaults
from raa_impact.evaluate.disclosure import protect

SMALL = {"synthetic": {"scale": 0.05, "seed": 3}}
CHEAP = ["data", "timeliness", "provenance"]


@pytest.fixture(scope="module")
def small_returns(tmp_path_factory) -> Path:
    """Synthetic England written as CSV returns: the path real returns take."""
    root = tmp_path_factory.mktemp("returns")
    ri.synthetic.england(seed=3, scale=0.05).write(root)
    return root


def cfg(**tables) -> Config:
    given = {**SMALL, **tables}
    return Config.from_mapping(given, defaults())


def test_every_option_has_a_default_and_unknown_keys_are_refused(tmp_path):
    d = defaults()
    assert {"data", "synthetic", "disclosure", "report", "timeliness"} <= set(d)
    bad = tmp_path / "bad.toml"
    bad.write_text('[timeliness]\nwindow_yeers = 2\n')
    with pytest.raises(ri.ArgumentError, match=r"unknown config key `timeliness.window_yeers` \(in .*bad.toml\)"):
        ri.evaluate(config=bad, progress=False)
    bad.write_text('[psmm]\ncaliper = 0.1\n')
    with pytest.raises(ri.ArgumentError, match=r"unknown config table `\[psmm\]`"):
        ri.evaluate(config=bad, progress=False)
    yml = tmp_path / "bad.yaml"
    yml.write_text("data:\n  bed_in_days: six months\n")
    with pytest.raises(ri.ArgumentError, match=r"`data.bed_in_days` .* must be int"):
        ri.evaluate(config=yml, progress=False)


def test_toml_and_yaml_set_options_and_the_report_prints_them(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text('[synthetic]\nscale = 0.05\nseed = 3\n[data]\nbed_in_days = 365\n')
    yml = tmp_path / "c.yaml"
    yml.write_text("synthetic: {scale: 0.05, seed: 3}\ndata: {bed_in_days: 365}\n")
    for path in (toml, yml):
        ev = ri.evaluate(config=path, sections=["provenance"], progress=False)
        table = ev.section("provenance").tables[-1].frame
        row = table.loc[(table["table"] == "data") & (table["key"] == "bed_in_days")]
        assert row["value"].tolist() == ["365"]
        assert len(table) == sum(len(v) for v in defaults().values())


def test_sections_run_and_write_every_number(tmp_path):
    ev = ri.evaluate(config=cfg(), sections=CHEAP, out=tmp_path, progress=False)
    assert ev.failed() == {}
    def refuse(constant):
        raise AssertionError(f"numbers.json holds {constant}, which is not JSON")

    numbers = json.loads((tmp_path / "numbers.json").read_text(), parse_constant=refuse)
    assert numbers["sections"]["data"]["journeys"] == len(ev.context.journeys) > 0
    for s in ev.sections:
        for t in s.tables:
            back = pd.read_csv(tmp_path / "tables" / f"{s.key}_{t.name}.csv")
            assert len(back) == len(t.frame)
        for f in s.figures:
            assert (tmp_path / "figures" / f"{s.key}_{f.name}.png").stat().st_size > 1000
    html = (tmp_path / "report.html").read_text()
    assert html.count('data-status="ok"') == len(CHEAP)
    assert "Timeliness: scorecard indicators" in html
    # The England A1 series carries the DfE threshold where one was in force.
    eng = ev.section("timeliness").tables[0].frame
    a1 = eng.loc[(eng.indicator == "A1") & (eng.window_end_year == 2015)]
    assert a1["threshold"].tolist() == [487.0]


def test_unknown_section_is_an_error():
    with pytest.raises(ri.ArgumentError, match="unknown report sections"):
        ri.evaluate(config=cfg(), sections=["data", "psn"], progress=False)


def test_returns_without_journeys_give_a_report_that_says_why(tmp_path):
    from conftest import write_return

    root = tmp_path / "returns"
    write_return(root, "886", 2020, {"header": [{"CHILD": "1", "SEX": "1", "DOB": "01/01/2015", "ETHNIC": "WBRI"}],
                                     "episodes": [{"CHILD": "1", "DECOM": "01/06/2019", "RNE": "S", "LS": "C2",
                                                   "CIN": "N1", "PLACE": "U1", "PLACE_PROVIDER": "PR1"}]})
    ev = ri.evaluate(returns=root, config=cfg(), out=tmp_path / "out", progress=False)
    failed = ev.failed()
    assert "no adoption journey could be derived" in failed["data"]
    assert set(failed) >= {"data", "timeliness"}
    html = (tmp_path / "out" / "report.html").read_text()
    assert "This section could not be computed: no adoption journey could be derived" in html
    assert ev.section("provenance").ok


def test_registry_matching_no_la_is_named(tmp_path, small_returns):
    reg = tmp_path / "reg"
    ri.load_registry().to_dir(reg)
    members = pd.read_csv(reg / "memberships.csv", dtype=str)
    members.iloc[0:0].to_csv(reg / "memberships.csv", index=False)
    ev = ri.evaluate(returns=small_returns, registry=reg, config=cfg(), sections=["data"], progress=False)
    assert "the registry matches no LA in the returns" in ev.failed()["data"]


def test_strings_from_the_data_are_escaped(tmp_path, small_returns):
    reg = tmp_path / "reg"
    ri.load_registry().to_dir(reg)
    raas = pd.read_csv(reg / "raas.csv", dtype=str, keep_default_na=False)
    raas.loc[0, "name"] = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    raas.to_csv(reg / "raas.csv", index=False)
    ev = ri.evaluate(returns=small_returns, registry=reg, config=cfg(), sections=["data", "timeliness"],
                     out=tmp_path / "out", progress=False)
    assert ev.failed() == {}
    html = (tmp_path / "out" / "report.html").read_text()
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img src=x" not in html
    # A policy in the page refuses scripts even if one slipped through.
    assert "default-src 'none'" in html


def test_disclosure_control_is_on_for_real_returns_only(tmp_path, small_returns):
    ev = ri.evaluate(returns=small_returns, config=cfg(), sections=["timeliness"], progress=False)
    assert ev.context.disclosure
    ba = ev.section("timeliness").tables[-1].frame
    cells = ba["n_before"].tolist() + ba["n_after"].tolist()
    assert all(c == "c" or c is None or (isinstance(c, int) and c % 5 == 0) for c in cells)
    syn = ri.evaluate(config=cfg(), sections=["timeliness"], progress=False)
    assert not syn.context.disclosure
    off = ri.evaluate(returns=small_returns, config=cfg(disclosure={"enabled": False}), sections=["timeliness"],
                      progress=False)
    assert not off.context.disclosure


def test_protect_suppresses_small_counts_and_rounds_half_up():
    t = pd.DataFrame({"n": [0, 1, 4, 5, 7, 7.5, 12.5, None], "other": [1, 2, 3, 4, 5, 6, 7, 8]})
    p = protect(t, ["n"], threshold=5, rounding=5)
    assert p["n"].tolist() == [0, "c", "c", 5, 5, 10, 15, None]
    assert p["other"].tolist() == t["other"].tolist()
    assert protect(t, ["n"], threshold=3, rounding=1)["n"].tolist()[:5] == [0, "c", 4, 5, 7]


def test_a_failing_part_is_a_note_not_a_failed_report():
    from raa_impact.evaluate import NotComputable, Section

    s = Section("k", "K")
    with s.part("RAA x"):
        raise NotComputable("no post-period")
    with s.part("RAA y"):
        s.number("fine", 1)
    assert s.ok and s.notes == ["RAA x could not be computed: no post-period"] and s.numbers == {"fine": 1}


def test_command_line_evaluate(tmp_path, capsys):
    conf = tmp_path / "c.toml"
    conf.write_text('[synthetic]\nscale = 0.05\nseed = 3\n')
    code = main(["--quiet", "evaluate", "--config", str(conf), "--sections", "data,provenance",
                 "--out", str(tmp_path / "rep")])
    assert code == 0
    assert (tmp_path / "rep" / "report.html").exists()
    assert "report:" in capsys.readouterr().out
    conf.write_text('[synthetic]\nscael = 0.05\n')
    assert main(["--quiet", "evaluate", "--config", str(conf), "--out", str(tmp_path / "rep2")]) == 2
    assert "unknown config key `synthetic.scael`" in capsys.readouterr().err
