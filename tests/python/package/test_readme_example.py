"""The README's Python quick start runs as written (against the mock)."""
from __future__ import annotations

import os
import re

from conftest import TEST_KEY

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "README.md")


def test_readme_python_example_runs(mock, monkeypatch, capsys):
    with open(README, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    assert blocks, "the README has no Python example"
    mock.request("POST", "/__mock/reset", {})
    monkeypatch.setenv("INSTANTLY_API_KEY", TEST_KEY)
    monkeypatch.setenv("INSTANTLY_BASE_URL", mock.url)
    exec(compile(blocks[0], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "1 uploaded, 0 duplicates" in out
    assert "404" in out
