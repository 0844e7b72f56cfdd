"""Errors that tell a user which file is wrong, what is wrong and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding about a corpus: ``severity`` is ``"error"`` or ``"warning"``."""

    severity: str
    file: str
    problem: str
    fix: str

    def __str__(self) -> str:
        """``ERROR: FILE: problem. Fix: how.`` (one line, one full stop each)."""
        problem, fix = self.problem.rstrip(". "), self.fix.rstrip(". ")
        return f"{self.severity.upper()}: {self.file}: {problem}. Fix: {fix}."


class AnalysisError(Exception):
    """Base class of the suite's own errors (caught by the CLI and shown without a traceback)."""


class DecodeError(AnalysisError, ValueError):
    """A file's bytes are not text in any supported encoding."""

    def __init__(self, file: str, problem: str, fix: str):
        self.problem = Problem("error", str(file), problem, fix)
        super().__init__(str(self.problem))


class CorpusError(AnalysisError, ValueError):
    """A corpus folder or its manifest has errors; ``problems`` lists all of them.

    ``check`` is the command the message suggests to list every problem.
    """

    def __init__(self, problems: list[Problem], path: str = "", *, check: str = "python -m analysis check --corpus DIR"):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"The corpus {path} has {len(errors)} error(s)" if path else f"{len(errors)} corpus error(s)"
        lines = [head + ":"] + [f"  - {p}" for p in errors]
        lines.append(f"Run `{check}` to list every problem.")
        super().__init__("\n".join(lines))
