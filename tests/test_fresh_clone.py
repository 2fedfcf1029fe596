"""A user's clone holds only the repository: the suite must pass without what lies beside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _repository_files() -> list[str]:
    """What a clone of the next commit holds: tracked files and new ones that are not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_the_suite_collects_in_an_empty_folder_with_only_the_repository(tmp_path: Path) -> None:
    clone = tmp_path / "empty" / "agbot"
    for name in _repository_files():
        source = ROOT / name
        if source.is_file():
            target = clone / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Every test module was collected, not only the ones that happen to import cleanly.
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    expected = {name for name in _repository_files() if name.startswith("tests/test_")}
    assert collected == expected
