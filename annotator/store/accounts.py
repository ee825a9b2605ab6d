"""Who may sign in to the dashboard, and with which role.

Passwords are kept as argon2id hashes (argon2-cffi, its RFC 9106 low-memory profile), never in a form
that gives them back. Failed sign-ins slow the next attempt on that account (a delay that doubles from
the third failure, up to five minutes) and lock it after ``MAX_FAILURES``: a locked account cannot sign
in, even with its right password, until an admin unlocks it. An unknown name and a wrong password get
the same answer, in the same time, so that the sign-in form does not tell which names exist.

Roles, each with everything the one before may do:
- ``analyst``: answers labels, adds spans, ingests;
- ``reviewer``: also adjudicates disagreements, sees everyone's answers and the audit trail;
- ``admin``: also trains, promotes, demotes, rolls back and discards models, and manages accounts.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from annotator.store import audit
from annotator.store.models import AccountRow, utcnow

ANALYST, REVIEWER, ADMIN = "analyst", "reviewer", "admin"
ROLES = (ANALYST, REVIEWER, ADMIN)
MAX_FAILURES = 10
FREE_FAILURES = 2  # failures before the first delay (a mistyped password or two)
MAX_DELAY = 300.0
MIN_PASSWORD = 10
MAX_NAME = 64
# the actor of a failed sign-in: whoever typed at the form, not the account named (its name is the subject)
SIGN_IN_FORM = "(sign-in form)"

_HASHER = PasswordHasher()
# checked against when the name is unknown, so that an unknown name costs as long as a wrong password
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def delay_after(failures: int) -> float:
    """Seconds before the next attempt is checked, after ``failures`` failures in a row."""
    return 0.0 if failures <= FREE_FAILURES else min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES))


class AccountError(ValueError):
    """A name, role or password that cannot be used, or an account that does not exist."""


class PermissionDenied(PermissionError):
    """The signed-in account's role does not allow this."""


class SignInError(Exception):
    """A refused sign-in. ``reason``: wrong (name or password), wait, locked or disabled."""

    def __init__(self, reason: str, message: str, wait: float = 0.0) -> None:
        super().__init__(message)
        self.reason, self.wait = reason, wait


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    active: bool = True
    locked: bool = False
    failures: int = 0
    created_at: datetime | None = None
    last_sign_in: datetime | None = None

    def may(self, role: str) -> bool:
        """Whether this account has ``role`` or a role above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def require(account: Account | None, role: str, what: str) -> None:
    """Refuse ``what`` unless ``account`` has ``role``; None is the local operator (the command line),
    who may do everything."""
    if account is not None and not account.may(role):
        raise PermissionDenied(f"{what} needs the {role} role; {account.name} is {account.role}")


def actor(account: Account | None) -> str:
    return account.name if account is not None else audit.operator()


def _view(row: AccountRow) -> Account:
    return Account(row.name, row.role, row.active, row.locked, row.failures, row.created_at, row.last_sign_in)


def clean_name(name: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", str(name)).split())
    control = any(unicodedata.category(c).startswith("C") for c in cleaned)
    if not cleaned or len(cleaned) > MAX_NAME or control:
        raise AccountError(f"an account name is 1 to {MAX_NAME} printable characters")
    if cleaned.startswith("local:"):
        raise AccountError("names starting with 'local:' are the command line's")
    return cleaned


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")


class Accounts:
    def __init__(self, store: Any) -> None:
        # the Store (annotator/store/store.py), whose sessions this uses; not imported: it imports this
        self._store = store

    # ------------------------------------------------------------------------------------------- reads
    def get(self, name: str) -> Account | None:
        with self._store._reader() as session:
            row = session.get(AccountRow, name)
            return _view(row) if row else None

    def list(self) -> list[Account]:
        with self._store._reader() as session:
            return [_view(r) for r in session.scalars(sa.select(AccountRow).order_by(AccountRow.name))]

    def exist(self) -> bool:
        with self._store._reader() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(AccountRow)) > 0

    def hash_of(self, name: str) -> str | None:
        """The stored hash (for the tests that check it is argon2, and for nothing else)."""
        with self._store._reader() as session:
            row = session.get(AccountRow, name)
            return row.password_hash if row else None

    # ------------------------------------------------------------------------------------------ sign-in
    def sign_in(self, name: str, password: str, *, now: datetime | None = None) -> Account:
        """The account, when ``password`` is its own and it may sign in now; else SignInError. A failure
        is counted (and audited) in its own committed transaction before the error is raised. The
        password is checked (argon2, ~0.1 s) outside any write transaction: a stream of sign-ins must
        not hold the store's write lock from everyone else."""
        now = now or utcnow()
        try:
            name = clean_name(name)
        except AccountError:
            raise SignInError("wrong", "wrong name or password") from None
        with self._store._reader() as session:
            row = session.get(AccountRow, name)
            stored = None if row is None else (row.password_hash, row.locked, row.active, row.retry_after)
        if stored is None:
            _matches(_DUMMY, password)
            raise SignInError("wrong", "wrong name or password")
        hashed, locked, active, retry_after = stored
        waiting = retry_after is not None and retry_after > now
        if locked:
            matches = False  # no check at all: a locked account's refusals must cost the store nothing
        elif active and not waiting:
            matches = _matches(hashed, password)
        else:  # a refusal that needs no check still costs one, as long as a wrong password takes
            matches = _matches(_DUMMY, password) and False
        with self._store._writing() as session:
            row = session.get(AccountRow, name, with_for_update=True)
            refused = self._refusal(session, row, name, matches, now)
            if refused is None:
                assert row is not None
                if _HASHER.check_needs_rehash(row.password_hash):
                    row.password_hash = hash_password(password)
                row.failures, row.retry_after, row.last_sign_in = 0, None, now
                audit.add(session, name, "sign_in", name)
                account = _view(row)
        if refused is not None:
            raise refused
        return account

    @staticmethod
    def _refusal(session: Any, row: AccountRow | None, name: str, matches: bool,
                 now: datetime) -> SignInError | None:
        """Decided again on the row as it is now, under the write lock (the password was checked
        before, against the hash read then)."""
        if row is None:  # deleted meanwhile
            return SignInError("wrong", "wrong name or password")
        if row.locked:
            audit.add(session, SIGN_IN_FORM, "sign_in_failed", name, reason="locked")
            return SignInError("locked", f"{name} is locked after {row.failures} failed sign-ins: an admin "
                               "unlocks it (Accounts page, or `annotator users unlock NAME`)")
        if not row.active:
            return SignInError("disabled", f"{name} is disabled: ask an admin")
        if row.retry_after is not None and row.retry_after > now:
            wait = (row.retry_after - now).total_seconds()
            return SignInError("wait", f"too many failed sign-ins: try again in {wait:.0f} s", wait)
        if matches:
            return None
        row.failures += 1
        row.locked = row.failures >= MAX_FAILURES
        pause = delay_after(row.failures)
        row.retry_after = now + timedelta(seconds=pause) if pause else None
        audit.add(session, SIGN_IN_FORM, "sign_in_failed", name, failures=row.failures, locked=row.locked)
        if row.locked:
            return SignInError("locked", f"{name} is now locked after {row.failures} failed sign-ins: an "
                               "admin unlocks it")
        return SignInError("wrong", "wrong name or password", pause)

    def signed_out(self, name: str) -> None:
        with self._store._writing() as session:
            audit.add(session, name, "sign_out", name)

    # -------------------------------------------------------------------------------- management (admin)
    def add(self, name: str, password: str, role: str, *, by: Account | None = None) -> Account:
        require(by, ADMIN, "adding an account")
        name = clean_name(name)
        _check_role(role)
        _check_password(password)
        with self._store._writing() as session:
            if session.get(AccountRow, name) is not None:
                raise AccountError(f"an account named {name!r} exists already")
            row = AccountRow(name=name, password_hash=hash_password(password), role=role, active=True,
                             failures=0, locked=False, created_at=utcnow())
            session.add(row)
            audit.add(session, actor(by), "account_add", name, role=role)
            session.flush()
            return _view(row)

    def set_role(self, name: str, role: str, *, by: Account | None = None) -> None:
        require(by, ADMIN, "changing a role")
        _check_role(role)
        self._change(name, by, "account_role", role=role)

    def disable(self, name: str, *, by: Account | None = None) -> None:
        require(by, ADMIN, "disabling an account")
        if by is not None and by.name == name:
            raise AccountError("an admin cannot disable their own account")
        self._change(name, by, "account_disable", active=False)

    def enable(self, name: str, *, by: Account | None = None) -> None:
        require(by, ADMIN, "enabling an account")
        self._change(name, by, "account_enable", active=True)

    def unlock(self, name: str, *, by: Account | None = None) -> None:
        require(by, ADMIN, "unlocking an account")
        self._change(name, by, "account_unlock", locked=False, failures=0, retry_after=None)

    def reset_password(self, name: str, password: str, *, by: Account | None = None) -> None:
        """A new password (an admin's act, or the local operator's); it also unlocks the account."""
        require(by, ADMIN, "resetting a password")
        _check_password(password)
        self._change(name, by, "account_password", password_hash=hash_password(password), locked=False,
                     failures=0, retry_after=None)

    def bootstrap(self, name: str = "admin") -> str | None:
        """On a store with no account: an admin account with a new random password, returned (to be
        printed once); None when accounts exist. Nothing ships with a default password."""
        if self.exist():
            return None
        password = secrets.token_urlsafe(15)
        self.add(name, password, ADMIN)
        return password

    def _change(self, name: str, by: Account | None, action: str, **values: object) -> None:
        with self._store._writing() as session:
            row = session.get(AccountRow, name, with_for_update=True)
            if row is None:
                raise AccountError(f"no account named {name!r}")
            for key, value in values.items():
                setattr(row, key, value)
            shown = {k: v for k, v in values.items() if k in ("role", "active")}  # never a hash
            audit.add(session, actor(by), action, name, **shown)


def _matches(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
