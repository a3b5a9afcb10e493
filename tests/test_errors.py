"""Bad input gets a typed error naming where and what, never a panic."""
from __future__ import annotations

import pytest

import raa_impact as ri
from conftest import write_return


def test_error_classes_are_value_errors():
    for cls in (ri.DataError, ri.RegistryError, ri.ArgumentError, ri.InternalError):
        assert issubclass(cls, ri.RaaImpactError) and issubclass(cls, ValueError)


def test_missing_path():
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903("/no/such/folder")
    assert "/no/such/folder" in str(e.value)


def test_misspelt_column_is_named_with_a_suggestion(tmp_path):
    folder = write_return(tmp_path, "886", 2016, {})
    text = (folder / "episodes.csv").read_text().replace("DECOM", "DECOMM", 1)
    (folder / "episodes.csv").write_text(text)
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(tmp_path)
    err = e.value
    assert err.column == "DECOM" and err.rule == "missing_column"
    assert err.file.endswith("episodes.csv") and err.table == "Episodes"
    assert "did you mean DECOM" in str(err)


def test_empty_file_and_binary_file(tmp_path):
    folder = write_return(tmp_path, "886", 2016, {})
    (folder / "header.csv").write_bytes(b"")
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(tmp_path)
    assert e.value.rule == "empty_file"
    (folder / "header.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(tmp_path)
    assert e.value.rule == "not_csv"


def test_unparseable_date_is_a_problem_row_and_strict_mode_raises(tmp_path):
    write_return(tmp_path, "886", 2016, {"header": [{"CHILD": "A", "SEX": "1", "DOB": "31/02/2014",
                                                     "ETHNIC": "WBRI"}]})
    p = ri.read_ssda903(tmp_path).validate()
    row = p[p.rule == "date_format"].iloc[0]
    assert (row.table, row.field, row.value, row.row) == ("Header", "DOB", "31/02/2014", 1)
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(tmp_path, strict=True)
    assert e.value.rule == "date_format" and e.value.row == 1 and e.value.column == "DOB"


def test_la_and_year_unknown(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2014,WBRI\n")
    with pytest.raises(ri.DataError) as e:
        ri.read_ssda903(folder)
    assert e.value.rule in ("la_unknown", "year_unknown")
    r = ri.read_ssda903(folder, la="886", year=2016)
    assert r.header.la.tolist() == ["886"]


def test_bad_arguments_are_argument_errors(syn_journeys):
    with pytest.raises(ri.ArgumentError):
        ri.scorecard(syn_journeys, "A9")
    with pytest.raises(ri.ArgumentError):
        ri.la_panel(syn_journeys, freq="fortnight")
    with pytest.raises(ri.ArgumentError):
        ri.exposure(syn_journeys, milestone="launch")
    with pytest.raises(ri.ArgumentError):
        ri.synthetic.england(scale=-1)


def test_journeys_frame_missing_columns(syn_journeys):
    with pytest.raises(ri.DataError) as e:
        ri.scorecard(syn_journeys.drop(columns=["entry_date"]), "A1")
    assert "entry_date" in str(e.value)


def test_la_code_not_in_registry_is_flagged(tmp_path):
    write_return(tmp_path, "999", 2016, {"header": [{"CHILD": "A", "SEX": "1", "DOB": "01/01/2014",
                                                     "ETHNIC": "WBRI"}]})
    r = ri.read_ssda903(tmp_path)
    assert len(r.validate()) == 0
    p = r.validate(ri.load_registry())
    assert set(p.rule) == {"la_not_in_registry"} and set(p.value) == {"999"}
    assert (p.severity == "warning").all() and len(p) == 4  # one per file


def test_a_rust_panic_becomes_internal_error():
    from raa_impact import _core

    with pytest.raises(ri.InternalError) as e:
        _core._panic_for_tests()
    assert "deliberate panic" in str(e.value)
