"""Disputed answers in every report format: both grades where the candidate overruled the grader,
the marks that differ, the reason and the mentor's ruling; undisputed turns as they always were."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.grading.grade import Coverage, Verdict
from assistant.reports import FORMATS, ReportFormat, details_from_json, export_command
from assistant.reports import render_report as _render
from assistant.store import SessionStore, open_store
from assistant.store.records import DisputeStatus, SessionDetail
from tests.reports.sample_sessions import (
    AWKWARD_REASON,
    GENERATED_AT,
    disputed_session,
    french_disputed_session,
    full_session,
    grade,
)
from tests.reports.test_summary_table import summary_tables

GOLDEN = Path(__file__).parent / "golden"
"""Expected reports; regenerate with UPDATE_GOLDEN=1 after an intended change, then review."""


def render(details: list[SessionDetail], fmt: ReportFormat) -> str:
    return _render(details, fmt, generated_at=GENERATED_AT, tz=UTC)


def sessions() -> list[SessionDetail]:
    """The English session (open, rejected, withdrawn, accepted) and the French one."""
    return [disputed_session(), french_disputed_session()]


@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_disputed_report_matches_golden_file(fmt: ReportFormat) -> None:
    text = render(sessions(), fmt)
    golden = GOLDEN / f"disputes.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def test_markdown_shows_both_grades_the_marks_that_differ_and_an_open_dispute() -> None:
    text = render(sessions(), "md")
    assert "Score: your grade 100/100 (Strong), grader 62/100 (Adequate) ·" in text
    assert "- ✔ Covered (you) / ✘ Missed (grader): Makes training reproducible\n" in text
    # A key point both marked the same keeps its usual line.
    assert "- ✔ Covered: Applies DevOps to ML — you said:" in text
    assert "- Waiting for a mentor since 2025-03-14 09:50 UTC: your grade counts meanwhile." in text
    assert f"- Your reason: ``{AWKWARD_REASON}``" in text
    assert "| 1 | What is MLOps? | 100 (grader 62) | Strong | 3 | 0 | 0 | 0 |" in text


def test_markdown_says_the_graders_grade_counts_when_a_mentor_rejected_and_why() -> None:
    text = render(sessions(), "md")
    assert "Score: grader 40/100 (Partial), your grade 83/100 (Strong) not counted ·" in text
    assert "- ✘ Missed (grader) / ✔ Covered (you): Makes training reproducible\n" in text
    assert (
        "- Rejected by mia on 2025-03-15 10:30 UTC: the grader's grade counts, not yours.\n"
        "- Your reason: `Pinning is reproducibility.`\n"
        "- Mentor's note: `Pinning the seed alone does not make training reproducible.`\n"
    ) in text
    assert "- Accepted by max on 2025-03-15 10:30 UTC: your grade counts." in text
    assert "| ↳ | How would you make training reproducible? | 40 (yours 83) | Partial |" in text


def test_the_average_says_how_many_answers_counted_with_the_candidates_own_grade() -> None:
    english, french = sessions()
    # Open (100) and accepted (67) count; the rejected one is a follow-up, the withdrawn 55.
    assert english.session.average_score == pytest.approx((100 + 55 + 67) / 3)
    text = render([english, french], "md")
    assert "- Average score: 74/100 (2 answers counted with your own grades)\n" in text
    assert "- Note moyenne : 54/100 (1 réponse comptée avec votre propre note)\n" in text
    assert "counted with your own" not in render([full_session()], "md")


def test_french_sessions_speak_french_about_disputes() -> None:
    text = render([french_disputed_session()], "md")
    assert "Note : votre note 67/100 (Correct), correcteur 62/100 (Correct) ·" in text
    assert "Note : correcteur 40/100 (Partiel), votre note 67/100 (Correct) non retenue ·" in text
    assert "- ✔ Couvert (vous) / ◐ En partie couvert (correcteur) : Monitors models" in text
    assert "**Votre contestation**" in text
    assert "- Acceptée par max le 2025-03-15 10:30 UTC : votre note compte." in text
    assert "- Remarque du mentor : `D'accord : la surveillance est bien citée.`" in text
    assert "c'est la note du correcteur qui compte, pas la vôtre." in text
    assert "- Le mentor n'a laissé aucune remarque." in text
    for english in ("your grade", "grader", "Your dispute", "Rejected by", "Mentor's note"):
        assert english not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_withdrawn_dispute_renders_as_an_undisputed_answer(fmt: ReportFormat) -> None:
    detail = disputed_session()
    withdrawn = detail.turns[2]
    assert withdrawn.dispute is not None
    assert withdrawn.dispute.status is DisputeStatus.WITHDRAWN
    plain = replace(withdrawn, dispute=None)
    undisputed = SessionDetail(detail.session, [*detail.turns[:2], plain, detail.turns[3]])
    assert render([detail], fmt) == render([undisputed], fmt)


def test_html_shows_both_marks_the_ruling_and_the_reason_as_typed() -> None:
    page = render(sessions(), "html")
    assert "Score: your grade 100/100 (Strong), grader 62/100 (Adequate)" in page
    assert (
        '<td class="status"><span class="covered">Covered</span> <span class="whose">(you)</span>'
        '<br><span class="missed">Missed</span> <span class="whose">(grader)</span></td>'
        "<td>Makes training reproducible</td>"
    ) in page
    assert '<div class="dispute open">' in page and '<div class="dispute rejected">' in page
    assert "<b>twice</b>" not in page and "&lt;b&gt;twice&lt;/b&gt;" in page
    assert "Rejected by mia on 2025-03-15 10:30 UTC: the grader&#x27;s grade counts" in page
    assert "Refusée par mia le 2025-03-15 10:30 UTC" in page
    english, french = summary_tables(page)
    assert english[1][2:4] == ["100 (grader 62)", "Strong"]
    assert english[2][2:4] == ["40 (yours 83)", "Partial"]
    assert english[3][2:4] == ["55", "Adequate"]  # withdrawn: as if never disputed
    assert french[2][2:4] == ["40 (la vôtre 67)", "Partiel"]
    assert "<tr><th>Average score</th><td>74/100 (2 answers counted with your own grades)" in page


def test_json_keeps_the_machines_grade_and_adds_the_dispute_and_the_counted_score() -> None:
    document = json.loads(render(sessions(), "json"))
    opened, rejected, withdrawn, _ = document["sessions"][0]["turns"]
    assert opened["grade"]["score"] == 62  # the machine's, as before
    assert opened["counted_score"] == 100
    assert opened["dispute"] == {
        "id": 1301,
        "status": "open",
        "candidate": "ada",
        "created_at": "2025-03-14T09:50:00+00:00",
        "score": 100,
        "verdict": "strong",
        "key_points": {
            "devops-for-ml": "covered",
            "monitoring": "covered",
            "reproducibility": "covered",
        },
        "reason": AWKWARD_REASON,
        "settled_by": None,
        "settled_at": None,
        "note": "",
    }
    assert (rejected["counted_score"], rejected["dispute"]["score"]) == (40, 83)
    assert rejected["dispute"]["settled_by"] == "mia"
    assert rejected["dispute"]["settled_at"] == "2025-03-15T10:30:00+00:00"
    assert withdrawn["dispute"]["status"] == "withdrawn" and withdrawn["counted_score"] == 55


def test_json_with_disputes_reads_back_to_the_same_sessions() -> None:
    assert details_from_json(render(sessions(), "json")) == sessions()


def test_json_from_before_disputes_still_reads() -> None:
    document = json.loads(render([full_session()], "json"))
    for turn in document["sessions"][0]["turns"]:
        del turn["dispute"], turn["counted_score"]
    assert details_from_json(json.dumps(document)) == [full_session()]


def test_csv_score_is_the_counted_one_beside_the_graders_and_the_candidates() -> None:
    rows = list(csv.DictReader(io.StringIO(render(sessions(), "csv"), newline="")))
    by_turn = {row["turn_id"]: row for row in rows}
    opened, rejected, withdrawn = by_turn["301"], by_turn["302"], by_turn["303"]
    assert (opened["score"], opened["verdict"]) == ("100", "strong")
    assert (opened["grader_score"], opened["grader_verdict"]) == ("62", "adequate")
    assert (opened["your_score"], opened["your_verdict"]) == ("100", "strong")
    assert (opened["dispute_status"], opened["dispute_reason"]) == ("open", AWKWARD_REASON)
    assert opened["marks_changed"] == "monitoring:partial>covered; reproducibility:missed>covered"
    assert opened["covered"] == "devops-for-ml; monitoring; reproducibility"  # the counted marks
    assert (rejected["score"], rejected["grader_score"], rejected["your_score"]) == (
        "40",
        "40",
        "83",
    )
    assert (rejected["settled_by"], rejected["settled_at"]) == ("mia", "2025-03-15T10:30:00+00:00")
    assert rejected["mentor_note"].startswith("Pinning the seed alone")
    assert rejected["missed"] == "reproducibility"  # the grader's marks count again
    assert (withdrawn["score"], withdrawn["dispute_status"]) == ("55", "withdrawn")
    undisputed = next(csv.DictReader(io.StringIO(render([full_session()], "csv"), newline="")))
    assert undisputed["score"] == undisputed["grader_score"] == "62"
    assert undisputed["your_score"] == undisputed["dispute_status"] == ""


# --- from a real session log ------------------------------------------------------------------

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(tmp_path: Path) -> Iterator[dict[str, SessionStore]]:
    """ada, a candidate, and mia, a mentor, on one SQLite session log."""
    path, mentors = tmp_path / "sessions.db", frozenset({"mia"})
    opened = {name: open_store(path, candidate=name, mentors=mentors) for name in ("ada", "mia")}
    yield opened
    for store in opened.values():
        store.close()


def _answered_session(store: SessionStore) -> tuple[int, list[int]]:
    session_id = store.start_session(
        mode="mock",
        lang="en",
        settings={"count": 3},
        model_id="all-MiniLM-L6-v2",
        bank_version="mlops@1.0.0",
        started_at=T0,
    )
    turn_ids = []
    for n, score in enumerate((62, 40, 55)):
        shown = T0 + timedelta(minutes=3 * n)
        turn_ids.append(
            store.record_turn(
                session_id,
                order=n + 1,
                question_id=f"q-{n}",
                question_text=f"Question {n}?",
                reference_answer="Reference.",
                category="fundamentals",
                answer=f"answer {n}",
                grade=grade(score, Verdict.ADEQUATE if score >= 50 else Verdict.PARTIAL),
                shown_at=shown,
                submitted_at=shown + timedelta(seconds=90),
            )
        )
    store.finish_session(session_id, "completed", ended_at=T0 + timedelta(minutes=20))
    return session_id, turn_ids


def test_a_real_log_exports_an_open_and_a_rejected_dispute_in_every_format(
    people: dict[str, SessionStore],
) -> None:
    ada, mia = people["ada"], people["mia"]
    session_id, (first, second, _) = _answered_session(ada)
    covered = {"monitoring": Coverage.COVERED, "reproducibility": Coverage.COVERED}
    ada.dispute_turn(first, covered, "I said both", now=T0 + timedelta(hours=1))
    rejected = ada.dispute_turn(
        second, {"reproducibility": Coverage.COVERED}, now=T0 + timedelta(hours=1)
    )
    assert rejected is not None
    mia.settle_dispute(rejected.id, accept=False, note="not named", now=T0 + timedelta(days=1))

    detail = ada.get_session(session_id)
    assert detail is not None
    assert detail.session.average_score == pytest.approx((100 + 40 + 55) / 3)
    texts = {fmt: _render([detail], fmt, generated_at=GENERATED_AT, tz=UTC) for fmt in FORMATS}

    for fmt in ("md", "html"):
        text = texts[fmt]
        assert "your grade 100/100 (Strong), grader 62/100 (Adequate)" in text
        assert "grader 40/100 (Partial), your grade 83/100 (Strong) not counted" in text
        assert "Waiting for a mentor since 2025-03-10 10:00 UTC" in text
        assert "Rejected by mia on 2025-03-11 09:00 UTC" in text and "not named" in text
        assert "65/100 (1 answer counted with your own grade)" in text
        assert "Score: 55/100 (Adequate) ·" in text  # the undisputed answer, as always
    turns = json.loads(texts["json"])["sessions"][0]["turns"]
    assert [t["grade"]["score"] for t in turns] == [62, 40, 55]
    assert [t["counted_score"] for t in turns] == [100, 40, 55]
    assert [t["dispute"] and t["dispute"]["status"] for t in turns] == ["open", "rejected", None]
    rows = list(csv.DictReader(io.StringIO(texts["csv"], newline="")))
    assert [(r["score"], r["grader_score"], r["your_score"]) for r in rows] == [
        ("100", "62", "100"),
        ("40", "40", "83"),
        ("55", "55", ""),
    ]
    assert [r["dispute_status"] for r in rows] == ["open", "rejected", ""]


def test_export_command_writes_the_dispute_from_the_log(people: dict[str, SessionStore]) -> None:
    ada = people["ada"]
    session_id, (first, _, _) = _answered_session(ada)
    ada.dispute_turn(first, {"reproducibility": Coverage.COVERED}, "I did")
    out, err = io.StringIO(), io.StringIO()
    code = export_command(
        ada, session_id=session_id, last=False, all_=False, fmt="md", output=None, out=out, err=err
    )
    assert (code, err.getvalue()) == (0, "")
    assert "Score: your grade 83/100 (Strong), grader 62/100 (Adequate)" in out.getvalue()
    assert "- ✔ Covered (you) / ✘ Missed (grader): Makes training reproducible" in out.getvalue()
