"""Reading the report's PDFs as a person would: its text (pdftotext) and its pages (pdfinfo).

poppler-utils is required in CI (RECIPROCITE_REQUIRE_BROWSER=1): there a missing pdftotext
fails the test with a clear message; elsewhere the tests that read PDFs are skipped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SPACES = re.compile(r"[\s\u00a0\u202f]+")


def require_poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not found: install poppler-utils to read the report's PDFs"
    if os.environ.get("RECIPROCITE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of pages first..last), whitespace folded to single spaces."""
    require_poppler()
    args = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, text=True)
    return fold(out.stdout)


def pdf_lines(path: Path, page: int) -> list[str]:
    require_poppler()
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return [fold(line) for line in out.stdout.splitlines() if line.strip()]


def page_count(path: Path) -> int:
    require_poppler()
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def fold(text: str) -> str:
    return SPACES.sub(" ", text).strip()
