"""Accounts, sign-in, roles and the audit trail, on a real SQLite store (issue #15)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from annotator.store import Store
from annotator.store.accounts import MAX_FAILURES, AccountError, PermissionDenied, SignInError, delay_after
from annotator.store.models import utcnow
from tests.test_store import make

PASSWORD = "correct horse battery"


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        yield store


def test_the_store_keeps_an_argon2_hash_and_never_the_password(store, tmp_path):
    store.accounts.add("alice", PASSWORD, "analyst")
    hashed = store.accounts.hash_of("alice")
    assert hashed.startswith("$argon2id$v=19$") and PASSWORD not in hashed
    assert store.accounts.sign_in("alice", PASSWORD).role == "analyst"
    store.accounts.reset_password("alice", "another long password")
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("store.sqlite*"))
    assert PASSWORD.encode() not in raw and b"another long password" not in raw
    events = Store(f"sqlite:///{tmp_path / 'store.sqlite'}").audit.events()
    assert [e.action for e in events][::-1] == ["account_add", "sign_in", "account_password"]
    assert all("password" not in str(e.detail).lower() for e in events)


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(store):
    store.accounts.add("alice", PASSWORD, "analyst")
    for name, password in (("alice", "not her password"), ("mallory", PASSWORD)):
        with pytest.raises(SignInError, match="wrong name or password") as refused:
            store.accounts.sign_in(name, password)
        assert refused.value.reason == "wrong"


def test_a_thousand_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(store):
    store.accounts.add("alice", PASSWORD, "analyst")
    now = utcnow()
    reasons = []
    for attempt in range(1000):
        try:
            store.accounts.sign_in("alice", f"guess {attempt:04d}", now=now)
        except SignInError as refused:
            reasons.append(refused.reason)
            now += timedelta(seconds=refused.wait + 1)  # an attacker who waits out every delay
    assert reasons[:MAX_FAILURES - 1] == ["wrong"] * (MAX_FAILURES - 1)
    assert set(reasons[MAX_FAILURES - 1:]) == {"locked"} and len(reasons) == 1000
    assert store.accounts.get("alice").locked and store.accounts.get("alice").failures == MAX_FAILURES
    # the right password does not open a locked account
    with pytest.raises(SignInError, match="locked") as refused:
        store.accounts.sign_in("alice", PASSWORD, now=now)
    assert refused.value.reason == "locked"
    admin = store.accounts.add("root", PASSWORD, "admin")
    with pytest.raises(PermissionDenied):
        store.accounts.unlock("alice", by=store.accounts.get("alice"))
    store.accounts.unlock("alice", by=admin)
    assert store.accounts.sign_in("alice", PASSWORD, now=now).name == "alice"
    failed = store.audit.events(action="sign_in_failed", subject="alice")
    assert len(failed) >= MAX_FAILURES and store.audit.events(action="account_unlock")[0].actor == "root"


def test_the_delay_grows_and_an_early_attempt_is_not_even_checked(store):
    assert [delay_after(n) for n in (1, 2, 3, 4, 5)] == [0, 0, 2, 4, 8] and delay_after(40) == 300
    store.accounts.add("alice", PASSWORD, "analyst")
    now = utcnow()
    for attempt in range(3):
        with pytest.raises(SignInError):
            store.accounts.sign_in("alice", f"guess {attempt}", now=now)
    with pytest.raises(SignInError, match="try again in") as refused:
        store.accounts.sign_in("alice", PASSWORD, now=now)  # the right one, too early
    assert refused.value.reason == "wait" and store.accounts.get("alice").failures == 3
    assert store.accounts.sign_in("alice", PASSWORD, now=now + timedelta(seconds=3)).failures == 0


def test_accounts_are_managed_by_admins_only_and_checked(store):
    admin = store.accounts.add("root", PASSWORD, "admin")
    analyst = store.accounts.add("alice", PASSWORD, "analyst", by=admin)
    with pytest.raises(PermissionDenied, match="admin role"):
        store.accounts.add("eve", PASSWORD, "admin", by=analyst)
    with pytest.raises(AccountError, match="at least 10"):
        store.accounts.add("bob", "short", "analyst", by=admin)
    with pytest.raises(AccountError, match="unknown role"):
        store.accounts.add("bob", PASSWORD, "owner", by=admin)
    with pytest.raises(AccountError, match="exists already"):
        store.accounts.add(" alice ", PASSWORD, "reviewer", by=admin)
    store.accounts.set_role("alice", "reviewer", by=admin)
    store.accounts.disable("alice", by=admin)
    with pytest.raises(SignInError, match="disabled"):
        store.accounts.sign_in("alice", PASSWORD)
    store.accounts.enable("alice", by=admin)
    assert store.accounts.sign_in("alice", PASSWORD).role == "reviewer"
    with pytest.raises(AccountError, match="own account"):
        store.accounts.disable("root", by=admin)


def test_the_first_admin_is_made_once_with_a_new_password(store):
    password = store.accounts.bootstrap()
    assert password and len(password) >= 16 and store.accounts.sign_in("admin", password).role == "admin"
    assert store.accounts.bootstrap() is None
    other = Store(store.url)
    assert other.accounts.bootstrap() is None  # nothing ships with a default password: made once, here


def test_roles_are_checked_by_the_store_not_only_the_buttons(store, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_MODELS", str(tmp_path / "models"))
    analyst = store.accounts.add("alice", PASSWORD, "analyst")
    reviewer = store.accounts.add("rita", PASSWORD, "reviewer")
    as_alice, as_rita = store.acting_as(analyst), store.acting_as(reviewer)
    as_alice.ingest(make("a1"))
    target = store.article("a1").targets[0]
    as_alice.answer(target.id, "accept")
    with pytest.raises(PermissionDenied, match="adjudicating needs the reviewer role"):
        as_alice.answer(target.id, "reject", adjudicated=True)
    as_rita.answer(target.id, "reject", adjudicated=True)
    for action in ("promote", "demote", "rollback", "discard"):
        with pytest.raises(PermissionDenied, match="needs the admin role"):
            as_rita.model(action, "technique", "2026-12-08.1")
    with pytest.raises(PermissionDenied):
        as_alice.events()
    answers = store.article("a1").targets[0].answers
    assert [(a.user, a.verdict, bool(a.extra.get("adjudicated"))) for a in answers] == [
        ("alice", "accept", False), ("rita", "reject", True)]  # each as themselves, no one else
    trail = as_rita.events()[::-1]  # oldest first
    assert [(e.actor, e.action) for e in trail[2:]] == [("alice", "ingest"), ("alice", "answer"),
                                                        ("rita", "answer")]
    assert [e.action for e in trail[:2]] == ["account_add"] * 2 and trail[0].actor.startswith("local:")
    assert trail[-1].detail["adjudicated"] is True and trail[-1].subject == "a1"


def test_an_import_is_audited_once_and_an_import_that_adds_nothing_is_not(store, tmp_path):
    from annotator.record import Answer

    record = make("a9")
    record.annotations[1].answers.append(Answer(user="carol", verdict="accept",
                                                time="2026-12-01T10:00:00+00:00"))
    store.merge(record)
    store.merge(record)  # the same file again: nothing new
    (event,) = store.audit.events(action="import")
    assert event.subject == "a9" and event.detail["answers"] == 1 and event.actor.startswith("local:")
