"""JUnit XML: a testsuite per submission, a testcase per claim, written once at the end.

fail is a ``<failure>`` carrying the true value and the counterexample; error and undecided are
``<error>``; warn passes with its message in ``<system-out>``. A step missing or incomplete is a
``<failure>`` testcase of its own (its lines may all pass, yet it earns nothing). A submission that
cannot be read is a testsuite with one ``<error>`` testcase. The document is built with ElementTree and serialised
as US-ASCII (everything else as character references), so it stays valid on any output encoding;
characters XML 1.0 forbids (NUL, ESC, lone surrogates from a binary submission) are written as
``\\xNN`` / ``\\uNNNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from verifier.check.grading import INCOMPLETE, MISSING, NO_STEPS, ClassSummary, Grade
from verifier.check.verdicts import ClaimResult, FileResult, Verdict
from verifier.errors import InputError

NAME_CHARS = 80  # a testcase name shows this much of the claim's source

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold written as visible escapes."""
    return _NOT_XML.sub(lambda m: _escape_char(m.group()), text)


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def testcase_name(claim: ClaimResult) -> str:
    """``line L:C: <source>``, the source on one line and cut to :data:`NAME_CHARS`."""
    source = " ".join(claim.source.split())
    if len(source) > NAME_CHARS:
        source = source[: NAME_CHARS - 1] + "…"
    if claim.cell is not None:
        return f"{claim.where}: {source}"
    return f"line {claim.line}:{claim.column}: {source}"


def failure_text(claim: ClaimResult) -> str:
    """The body of a ``<failure>`` or ``<error>``: the claim, the reason, the truth, the witness."""
    lines = [f"claim: {claim.source}", f"reason: {claim.message}"]
    if claim.truth:
        lines.append(f"true value: {claim.truth}")
    if claim.counterexample:
        lines.append(f"counterexample: {claim.counterexample}")
    if claim.model:
        lines.append(f"model: {claim.model}")
    return "\n".join(lines)


def _message(claim: ClaimResult) -> str:
    message = claim.message
    if claim.truth and claim.truth not in message:
        message += f"; true value {claim.truth}"
    if claim.counterexample and claim.counterexample not in message:
        message += f"; counterexample {claim.counterexample}"
    return message


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _properties(suite: ET.Element, values: dict[str, object]) -> None:
    props = _sub(suite, "properties")
    for name, value in values.items():
        _sub(props, "property", name=name, value=str(value))


def _points(x: float) -> str:
    return f"{x:g}"


class JUnitReporter:
    """Collects testsuites as results arrive and writes the XML document at :meth:`finish`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.root = ET.Element("testsuites", name="verify-derivations")

    def file_result(self, result: FileResult, grade: Grade) -> None:
        claims = [(step.id, c) for step in result.steps for c in step.claims]
        failures = sum(c.verdict is Verdict.FAIL for _, c in claims)
        errors = sum(c.verdict in (Verdict.ERROR, Verdict.UNDECIDED) for _, c in claims)
        suite = self._suite(result.file, len(claims), failures, errors)
        _properties(
            suite,
            {
                "assignment": result.assignment,
                "assignment_sha256": result.assignment_sha256,
                "seed": result.seed,
                "tool_version": result.tool_version,
                "grade": grade.status,
                "points": _points(grade.total),
                "max_points": _points(grade.max_total),
            },
        )
        for step_id, claim in claims:
            self._testcase(suite, result.file, step_id, claim)
        absent = self._absent_steps(suite, result.file, grade)
        suite.set("tests", str(len(claims) + absent))
        suite.set("failures", str(failures + absent))
        notes = [
            f"step {s.id}: {s.status}, {_points(s.points)}/{_points(s.max_points)}"
            + (f" ({s.note})" if s.note else "")
            + (" [flagged for review]" if s.flagged else "")
            for s in grade.steps
        ]
        if notes:
            _sub(suite, "system-out", "\n".join(notes))

    def _absent_steps(self, suite: ET.Element, file: str, grade: Grade) -> int:
        """A failing testcase per step missing or incomplete (true lines, no points), or one
        when no step was found at all (never an all-green suite); how many."""
        if grade.status == NO_STEPS:
            case = _sub(suite, "testcase", classname="steps", name="no step found", file=file)
            _sub(case, "failure", grade.message, message=grade.message, type="no steps")
            return 1
        absent = [s for s in grade.steps if s.status in (MISSING, INCOMPLETE)]
        for s in absent:
            reason = s.note or f"the submission has no step {s.id}"
            message = f"step {s.id} earns no points: {reason}"
            name = f"step {s.id}: {s.status}"
            case = _sub(suite, "testcase", classname=f"step {s.id}", name=name, file=file)
            _sub(case, "failure", message, message=message, type=s.status)
        return len(absent)

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        suite = self._suite(path, 1, 0, 1)
        _properties(suite, {"grade": grade.status, "points": "0"})
        attrib = {"classname": "input", "name": "unreadable submission", "file": path}
        if error.location is not None:
            attrib["line"] = str(error.location.line)
        case = _sub(suite, "testcase", **attrib)
        _sub(case, "error", str(error), message=str(error), type="unreadable")

    def finish(self, summary: ClassSummary) -> None:
        for key in ("tests", "failures", "errors"):
            self.root.set(key, str(sum(int(s.get(key, "0")) for s in self.root)))
        ET.indent(self.root)
        xml = ET.tostring(self.root, encoding="us-ascii", xml_declaration=True)
        self.out.write(xml.decode("ascii") + "\n")
        self.out.flush()

    def _suite(self, name: str, tests: int, failures: int, errors: int) -> ET.Element:
        return _sub(
            self.root,
            "testsuite",
            name=name,
            tests=str(tests),
            failures=str(failures),
            errors=str(errors),
            skipped="0",
        )

    def _testcase(self, suite: ET.Element, file: str, step_id: str, claim: ClaimResult) -> None:
        case = _sub(
            suite,
            "testcase",
            classname=f"step {step_id}",
            name=testcase_name(claim),
            file=file,
            line=str(claim.line),
        )
        verdict = claim.verdict
        if verdict is Verdict.FAIL:
            _sub(case, "failure", failure_text(claim), message=_message(claim), type="fail")
        elif verdict in (Verdict.ERROR, Verdict.UNDECIDED):
            _sub(case, "error", failure_text(claim), message=claim.message, type=verdict.value)
        elif verdict is Verdict.WARN:
            _sub(case, "system-out", f"warning: {claim.message}")
        elif verdict is Verdict.NOTE:
            _sub(case, "system-out", f"note: {claim.message}")
