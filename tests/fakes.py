"""Stand-ins for unit tests. Each has a real counterpart that the integration tests use."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ocr import Word


class ReplayEngine:
    """An OCR engine (ocr.engine.OcrEngine) that replays a stored word list instead of reading.

    `words()` answers every page, or part of a page, with the stored list; `line()` answers with the
    stored lines one after the other. Calls are recorded, so a test can say what was asked."""

    name = "replay"

    def __init__(self, words: list[Word], lines: list[str] | None = None,
                 orientation: tuple[int, float] = (0, 0.0)) -> None:
        self._words, self._lines, self._orientation = words, list(lines or []), orientation
        self.calls: list[str] = []

    @classmethod
    def from_json(cls, path: Path, **kwargs) -> "ReplayEngine":
        """From a page of `digitize ocr --json` (or the stored ocr.json): its `words`."""
        stored = json.loads(path.read_text(encoding="utf-8"))
        return cls([Word(w["text"], *w["box"], w["conf"], w["block"], w["par"], w["line"]) for w in stored["words"]],
                   **kwargs)

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        self.calls.append("words")
        return list(self._words)

    def line(self, grey: np.ndarray, dpi: float) -> str:
        self.calls.append("line")
        return self._lines.pop(0) if self._lines else ""

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        self.calls.append("machine_text")
        return ""

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        self.calls.append("orientation")
        return self._orientation
