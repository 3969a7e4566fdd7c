"""`mock-interview disputes export`: settled disputes as labelled pairs for the verifier.

Each settled dispute becomes one line of the verifier corpus's format (`grading.labelled`, part
`dispute`): the question as asked, the reference answer and key points it was graded against,
the candidate's answer, and a label per key point from the grade the mentor let stand (the
candidate's marks when accepted, the machine's when rejected). Nothing leaves the machine: the
lines go to standard output or to a file, like `export`.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from assistant.cli.common import open_log, settings_of

if TYPE_CHECKING:
    from assistant.grading.labelled import Item
    from assistant.store.records import DisputedAnswer


def cmd_disputes_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write settled disputes as JSONL: everyone's for a mentor, one's own for anyone else.

    The output file is checked before the log is read, appears whole, is never a file of the
    session log, and replaces an existing file only with `--force` (as `export`'s does).
    """
    from assistant.reports.export import deliver, output_refused, protected_files
    from assistant.store import StoreError
    from assistant.store.records import DisputeStatus

    settings = settings_of(args)
    try:
        store = open_log(settings, read_only=True, missing_ok=False)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    with store:
        protected = protected_files(store, settings.config_dir)
        if output_refused(args.output, force=args.force, protected=protected, err=err):
            return 1
        statuses = [DisputeStatus.ACCEPTED]
        if not args.accepted:
            statuses.append(DisputeStatus.REJECTED)
        try:
            mentor = store.is_mentor()
            settled = store.disputed_answers(statuses, everyone=mentor)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
        if not mentor:
            print(
                f"note: {store.candidate!r} is not a mentor: only their own settled disputes "
                "are exported",
                file=err,
            )
        lines, left_out = dispute_lines(settled)
        for reason in left_out:
            print(f"note: {reason}", file=err)
        if not lines:
            which = "accepted" if args.accepted else "settled"
            found = f"no {which} dispute" if not settled else f"no {which} dispute with a label"
            print(f"error: {found} in the session log {store.path}: nothing to export", file=err)
            return 1
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for _, line in lines)
        pairs = sum(item.pairs for item, _ in lines)
        written = f"{len(lines)} settled dispute(s), {pairs} labelled pairs,"
        return deliver(
            text, args.output, out=out, err=err, force=args.force, protected=protected, what=written
        )


def dispute_lines(
    settled: list[DisputedAnswer],
) -> tuple[list[tuple[Item, dict[str, object]]], list[str]]:
    """One labelled question and its corpus line per settled dispute, and why any dispute or
    pair was left out.

    Each line is read back by the format's reader before it is kept, so a line the verifier's
    training would refuse is never written.
    """
    from assistant.grading.labelled import CorpusError, line_of, parse_line

    lines: list[tuple[Item, dict[str, object]]] = []
    left_out: list[str] = []
    partial = 0
    for answer in settled:
        item, halves = dispute_item(answer)
        partial += halves
        if item is None:
            left_out.append(f"dispute {answer.dispute.id}: every key point partly covered")
            continue
        settled_at = answer.dispute.settled_at
        line = line_of(
            item,
            dispute={
                "status": answer.dispute.status.value,
                "settled_at": settled_at.isoformat() if settled_at else None,
            },
        )
        try:
            parse_line(json.dumps(line), f"dispute {answer.dispute.id}", {})
        except CorpusError as error:
            left_out.append(f"{error}; left out")
            continue
        lines.append((item, line))
    if partial:
        left_out.append(f"{partial} partly covered key point(s) left out: no label is certain")
    return lines, left_out


def dispute_item(answer: DisputedAnswer) -> tuple[Item | None, int]:
    """One settled dispute as a labelled question (None when no key point has a certain
    label), and how many partly covered key points were left out.

    The grade that counts labels it: the candidate's when a mentor accepted, the machine's when
    a mentor rejected (upheld) it (`labelled.LABEL_OF_MARK`). Its score is that grade's, its
    verdict the score's band (the grader's bands; a no-answer grade is off-target). Who answered
    stays in the session log: the line names the dispute, not the candidate.
    """
    from assistant.grading.labelled import (
        DISPUTE,
        LABEL_OF_MARK,
        Answer,
        Item,
        KeyPoint,
        verdict_of,
    )
    from assistant.store.records import DisputeStatus

    dispute, turn = answer.dispute, answer.turn
    counted = dispute.grade if dispute.status is DisputeStatus.ACCEPTED else turn.grade
    assert counted is not None  # a disputed answer was graded
    labels = {
        p.id: LABEL_OF_MARK[p.status] for p in counted.key_points if p.status in LABEL_OF_MARK
    }
    left = len(counted.key_points) - len(labels)
    if not labels:
        return None, left
    labelled = Answer(
        id=f"turn-{turn.id}",
        kind=DISPUTE,
        text=turn.answer,
        labels=labels,
        score=counted.score,
        verdict=verdict_of(counted.score),
    )
    item = Item(
        id=f"dispute-{dispute.id}",
        part=DISPUTE,
        lang=counted.reference_lang,
        area=turn.category,
        author="",
        question=turn.question_text,
        reference=turn.reference_answer,
        key_points=tuple(KeyPoint(p.id, p.text) for p in counted.key_points if p.id in labels),
        answers=(labelled,),
        question_id=turn.question_id,
    )
    return item, left
