"""The README's Python quick start runs as printed."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_python_quick_start_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README has a Python quick start"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert len(namespace["j"]) > 10_000  # national scale
    assert set(namespace["ba"].columns) >= {"raa", "before", "after"}
    ms = namespace["mine"].milestones
    assert ms[(ms.raa_id == "adopt-east") & (ms.kind == "go_live")].date.iloc[0] == __import__("pandas").Timestamp("2020-10-12")


def test_its_quick_start_runs():
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S) if "ri.its(" in b]
    assert blocks, "the README has an ITS quick start"
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert len(namespace["batch"].fits) == 3
    assert abs(namespace["r"].ar1 - 0.28) < 0.1


def test_staggered_quick_start_runs():
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S) if "ri.att_gt(" in b]
    assert blocks, "the README has a staggered-adoption quick start"
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert abs(namespace["a"].aggregate("simple").overall.estimate - -0.0399512751551763) < 1e-9
    assert namespace["b"].uniform


def test_readme_config_example_is_accepted():
    """The README's config example uses only keys the evaluation knows."""
    import tomllib

    from raa_impact.evaluate import Config, defaults

    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README shows a config file"
    cfg = Config.from_mapping(tomllib.loads(blocks[0]), defaults())
    assert cfg["data"]["bed_in_days"] == 183 and cfg["disclosure"]["threshold"] == 5
