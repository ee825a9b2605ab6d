"""Errors a user can act on, each with a code to search for.

Bad input is reported as one line naming the input and the reason, never as a traceback.
"""

from __future__ import annotations


class InputError(Exception):
    """An input that cannot be annotated. The rest of the batch goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code


def empty() -> InputError:
    return InputError("E001", "empty input: no text to annotate")


def binary(kind: str) -> InputError:
    return InputError("E002", f"binary content ({kind}), not a text or HTML article")


def too_large(size: int, limit: int) -> InputError:
    return InputError(
        "E003",
        f"input too large ({size / 1e6:.1f} MB > {limit / 1e6:.1f} MB limit; raise it with --max-bytes)",
    )


def undecodable(detail: str) -> InputError:
    return InputError("E004", f"text encoding not recognised ({detail})")


def bad_row(detail: str) -> InputError:
    return InputError("E005", f"bad row: {detail}")


def no_text_extracted() -> InputError:
    return InputError("E007", "no article text could be extracted from this HTML page")


def unreadable(detail: str) -> InputError:
    return InputError("E008", f"cannot read: {detail}")


def text_too_long(chars: int, limit: int) -> InputError:
    return InputError("E009", f"article text too long ({chars:,} characters > {limit:,} limit)")


def conflicting_text(detail: str) -> InputError:
    """Import: an article id the store holds with another text (its answers point into the stored one)."""
    return InputError("E011", f"not imported: {detail}")


def bad_import(detail: str) -> InputError:
    """Import: a record, task or line that is not what its format says, or that the store refuses."""
    return InputError("E012", f"not imported: {detail}")


def unwritable(detail: str) -> InputError:
    """Export: the output cannot be written."""
    return InputError("E013", f"cannot write: {detail}")


def store_failed(detail: str) -> InputError:
    """The store could not be opened, read or written (a database error, a locked file, no disk)."""
    return InputError("E010", detail)


def internal(exc: BaseException) -> InputError:
    """A defect of annotator's, not of the input: reported with the input's name, the batch goes on."""
    return InputError("E900", f"internal error: {type(exc).__name__}: {exc}")
