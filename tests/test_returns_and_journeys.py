"""Reading, validating, stacking and journeys through the Python front, on hand-built returns."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri
from conftest import DATA, write_return

HEADER = {"CHILD": "C1", "SEX": "1", "DOB": "01/01/2014", "ETHNIC": "WBRI"}
EPISODES_2016 = [
    {"CHILD": "C1", "DECOM": "01/04/2015", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
     "PLACE_PROVIDER": "PR1", "DEC": "01/09/2015", "REC": "X1"},
    {"CHILD": "C1", "DECOM": "01/09/2015", "RNE": "L", "LS": "E1", "CIN": "N1", "PLACE": "U4",
     "PLACE_PROVIDER": "PR1", "DEC": "01/03/2016", "REC": "X1"},
    # Open at the end of 2015-16: DEC and REC blank in this return ...
    {"CHILD": "C1", "DECOM": "01/03/2016", "RNE": "P", "LS": "E1", "CIN": "N1", "PLACE": "A6",
     "PLACE_PROVIDER": "PR1", "DEC": "", "REC": ""},
]
# ... and closed by the adoption order in the 2016-17 return.
EPISODES_2017 = [dict(EPISODES_2016[2], DEC="01/10/2016", REC="E11")]
PA = {"CHILD": "C1", "DOB": "01/01/2014", "DATE_PLACED": "01/07/2015"}
AD1 = {"CHILD": "C1", "DOB": "01/01/2014", "DATE_INT": "01/07/2015", "DATE_MATCH": "01/02/2016",
       "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L0"}


@pytest.fixture()
def two_years(tmp_path):
    write_return(tmp_path, "886", 2016, {"header": [HEADER], "episodes": EPISODES_2016,
                                         "placed_for_adoption": [PA]})
    write_return(tmp_path, "886", 2017, {"header": [HEADER], "episodes": EPISODES_2017,
                                         "placed_for_adoption": [PA], "ad1": [AD1]})
    return tmp_path


def test_overlapping_years_are_stacked_keeping_the_latest_version(two_years):
    r = ri.read_ssda903(two_years)
    assert len(r.episodes) == 3
    last = r.episodes.sort_values("DECOM").iloc[-1]
    assert last["REC"] == "E11" and last["year"] == 2017
    assert r.superseded["episodes"] == 1
    assert r.superseded["header"] == 1
    raw = ri.read_ssda903(two_years, stack=False)
    assert len(raw.episodes) == 4
    assert set(r.files.la) == {"886"} and set(r.files.year) == {2016, 2017}


def test_hand_built_journey_dates_and_durations(two_years):
    j = ri.journeys(ri.read_ssda903(two_years), cut_date="2017-03-31")
    assert len(j) == 1
    row = j.iloc[0]
    ts = pd.Timestamp
    assert (row.la, row.child, row.period) == ("886", "C1", 1)
    assert row.entry_date == ts("2015-04-01") and row.adm_date == ts("2015-07-01")
    assert row.po_date == ts("2015-09-01") and row.match_date == ts("2016-02-01")
    assert row.placed_date == ts("2016-03-01") and row.order_date == ts("2016-10-01")
    assert row.ending == "adopted" and row.exit_reason == "E11"
    # April 30 + May 31 + June 30 = 91 days; 1 Sep 2015 → 1 Mar 2016 = 182 (2016 is a leap year).
    assert row.entry_to_adm_days == 91 and row.entry_to_adm_event
    assert row.po_to_placed_days == 182 and not row.po_to_placed_censored
    assert row.entry_to_placed_days == 335
    assert row.age_at_entry_days == (ts("2015-04-01") - ts("2014-01-01")).days
    assert not row.harder_to_place


def test_cut_before_placement_censors(two_years):
    j = ri.journeys(ri.read_ssda903(two_years), cut_date="2015-12-31")
    row = j.iloc[0]
    assert pd.isna(row.placed_date) and pd.isna(row.order_date)
    assert row.ending == "ongoing"
    assert row.po_to_placed_censored and not row.po_to_placed_event
    assert row.po_to_placed_days == (pd.Timestamp("2015-12-31") - pd.Timestamp("2015-09-01")).days


def test_invalid_child_is_left_out_and_reported(tmp_path):
    bad = dict(EPISODES_2016[0], RNE="Q")  # not an RNE code
    write_return(tmp_path, "886", 2016, {"header": [HEADER], "episodes": [bad] + EPISODES_2016[1:],
                                         "placed_for_adoption": [PA]})
    r = ri.read_ssda903(tmp_path)
    problems = r.validate()
    hit = problems[(problems.rule == "code_list") & (problems.field == "RNE")]
    assert len(hit) == 1
    assert hit.iloc[0][["table", "la", "child", "value", "severity"]].tolist() == [
        "Episodes", "886", "C1", "Q", "error"]
    assert hit.iloc[0].row == 1 and hit.iloc[0].file.endswith("episodes.csv")
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(tmp_path, strict=True)
    assert (e.value.rule, e.value.table, e.value.row, e.value.column) == ("code_list", "Episodes", 1, "RNE")
    assert "child C1" in str(e.value)
    j, left_out = ri.journeys(r, with_left_out=True)
    assert len(j) == 0
    # Every record of the child is counted: 1 header + 3 episodes + 1 PlacedAdoption row.
    assert left_out.rows.sum() == 5
    assert left_out.reason.str.contains("code_list").all()


def test_fake_validator_files_parse_and_their_inconsistencies_are_flagged():
    r = ri.read_ssda903(DATA / "ssda903_fake_csc_validator", la="999", year=2018)
    assert len(r.episodes) > 4000 and len(r.header) > 2000
    assert set(r.skipped_files) >= {str(DATA / "ssda903_fake_csc_validator" / "uasc.csv")} or r.skipped_files
    p = r.validate()
    xxx = p[(p.field == "REASON_PLACED_CEASED") & (p.value == "XXX")]
    assert len(xxx) == len(r.placed_adoption[r.placed_adoption.REASON_PLACED_CEASED == "XXX"]) > 0
    assert (xxx.severity == "error").all()
    assert p.rule.nunique() >= 5


def test_latin1_and_bom_files_read_the_same(tmp_path):
    header = dict(HEADER, CHILD="Zoë")
    eps = [dict(e, CHILD="Zoë") for e in EPISODES_2016]
    write_return(tmp_path / "a", "886", 2016, {"header": [header], "episodes": eps}, encoding="latin-1")
    write_return(tmp_path / "b", "886", 2016, {"header": [header], "episodes": eps}, encoding="utf-8-sig")
    a = ri.read_ssda903(tmp_path / "a")
    b = ri.read_ssda903(tmp_path / "b")
    assert a.header.CHILD.tolist() == b.header.CHILD.tolist() == ["Zoë"]
    with_name = ["Header", "Episodes"]  # the other files hold only ASCII column names
    assert set(a.files[a.files.table.isin(with_name)].encoding) == {"latin-1"}
    assert set(b.files.encoding) == {"utf-8-bom"}


def test_iso_dates_are_accepted(tmp_path):
    eps = [dict(e, DECOM="-".join(reversed(e["DECOM"].split("/")))) for e in EPISODES_2016]
    write_return(tmp_path, "886", 2016, {"header": [HEADER], "episodes": eps})
    r = ri.read_ssda903(tmp_path)
    assert r.episodes.DECOM.min() == pd.Timestamp("2015-04-01")


def test_journeys_columns_and_dtypes(syn_journeys):
    j = syn_journeys
    for c in ["la", "child", "entry_date", "adm_date", "po_date", "match_date", "placed_date",
              "order_date", "exit_date", "exit_reason", "harder_to_place"]:
        assert c in j.columns
    for c in ["entry_date", "adm_date", "po_date", "placed_date", "order_date"]:
        assert np.issubdtype(j[c].dtype, np.datetime64)
    assert j.adm_date.notna().all()
    assert j.po_date.isna().any()  # some decisions never reach a placement order
    done = j[j.po_to_placed_event]
    assert (done.po_to_placed_days == (done.placed_date - done.po_date).dt.days.clip(lower=0)).all()
    running = j[j.po_to_placed_censored]
    assert (running.po_to_placed_days == (running.cut_date - running.po_date).dt.days).all()
