"""The catalogue of administrative procedures (thủ tục hành chính) and the papers each requires,
and a dossier's checklist: which papers are present, which are missing, and which the citizen
already has on file (so that they are not asked for them again).

The catalogue is the agency's own, imported from a JSON or CSV file (`DIGITIZE_PROCEDURES_FILE`);
without one, a small sample catalogue shipped with the package is used.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import UserError
from .fields.model import fold

SAMPLE = Path(__file__).parent / "data" / "procedures.json"
CSV_COLUMNS = ("procedure_code", "procedure_name", "paper_name", "paper_kind", "original", "copies", "match", "days")


@dataclass(frozen=True)
class RequiredPaper:
    name: str
    kind: str  # admin, cccd, birth, other, or "any"
    original: bool = False  # bản chính (True) or bản sao
    copies: int = 1
    match: str | None = None  # words its title carries, for papers of kind "other" ("TỜ KHAI")


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    papers: tuple[RequiredPaper, ...] = field(default_factory=tuple)
    days: int | None = None  # working days to the result (0: the same day); None: not published


@dataclass
class ChecklistLine:
    paper: RequiredPaper
    present: list[str]  # codes of the dossier's documents that are this paper
    on_file: list[str]  # codes of the citizen's documents of this kind already in the warehouse

    @property
    def state(self) -> str:
        return "present" if self.present else "on_file" if self.on_file else "missing"


def load(path: Path | None) -> list[Procedure]:
    """The catalogue from a JSON ({"procedures": [{code, name, papers: [...]}]}) or CSV file (one row
    per required paper, columns CSV_COLUMNS); raises UserError on a malformed file."""
    path = Path(path) if path else SAMPLE
    try:
        text = path.read_text(encoding="utf-8-sig")
        return _from_csv(text) if path.suffix.lower() == ".csv" else _from_json(text)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError("bad_procedures_file", f"Tệp danh mục thủ tục không đọc được: {path.name}.",
                        f"The procedures file {path} is malformed: {exc}") from exc


@lru_cache(maxsize=4)
def catalogue(path: str = "") -> tuple[Procedure, ...]:
    return tuple(load(Path(path) if path else None))


def find(procedures: tuple[Procedure, ...], name_or_code: str | None) -> Procedure | None:
    wanted = fold(name_or_code or "")
    return next((p for p in procedures if wanted and (fold(p.name) == wanted or p.code == (name_or_code or "").strip())),
                None)


def checklist(procedure: Procedure, dossier_docs: list[dict], owner_docs: list[dict]) -> list[ChecklistLine]:
    """Each required paper: the dossier's documents that are it, else the owner's on file."""
    used: set[str] = set()
    lines = []
    for paper in procedure.papers:
        present = [d["code"] for d in dossier_docs if d["code"] not in used and _is(paper, d)][: paper.copies]
        used.update(present)
        on_file = [] if present else [d["code"] for d in owner_docs if _is(paper, d)][:3]
        lines.append(ChecklistLine(paper, present, on_file))
    return lines


def _is(paper: RequiredPaper, doc: dict) -> bool:
    if paper.kind != "any" and doc["kind"] != paper.kind:
        return False
    return not paper.match or fold(paper.match) in fold(doc.get("title") or "")


def _from_json(text: str) -> list[Procedure]:
    data = json.loads(text)
    return [Procedure(str(p["code"]), p["name"], tuple(RequiredPaper(
        q["name"], q.get("kind", "any"), bool(q.get("original", False)), int(q.get("copies", 1)), q.get("match"))
        for q in p.get("papers", [])), _days(p.get("days"))) for p in data["procedures"]]


def _from_csv(text: str) -> list[Procedure]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and not set(CSV_COLUMNS[:4]) <= set(rows[0]):
        raise ValueError(f"columns {', '.join(CSV_COLUMNS)} expected")
    procedures: dict[str, tuple[str, list[RequiredPaper]]] = {}
    days: dict[str, int | None] = {}
    for row in rows:
        code = row["procedure_code"].strip()
        name, papers = procedures.setdefault(code, (row["procedure_name"].strip(), []))
        days.setdefault(code, _days(row.get("days")))
        papers.append(RequiredPaper(row["paper_name"].strip(), (row["paper_kind"] or "any").strip(),
                                    fold(row.get("original") or "") in ("BAN CHINH", "TRUE", "1", "CO"),
                                    int(row.get("copies") or 1), (row.get("match") or "").strip() or None))
    return [Procedure(code, name, tuple(papers), days[code]) for code, (name, papers) in procedures.items()]


def _days(value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    days = int(value)
    if not 0 <= days <= 365:
        raise ValueError(f"days out of range: {days}")
    return days
