"""The store as one signed-in account may use it: every call checks the role, not only the buttons.

The dashboard hands its pages a ``Desk`` for the signed-in account (``Store.acting_as``), never the bare
store, for anything that changes something: answers go in as that account and no other, an adjudication
needs a reviewer, and training, promoting, demoting, rolling back or discarding a model needs an admin.
Each change is audited with the account's name. The command line acts as the local operator (account
None), who may do everything, and is audited as ``local:<os user>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.store.accounts import ADMIN, ANALYST, REVIEWER, Account, actor, require

if TYPE_CHECKING:
    from annotator.record import Record
    from annotator.store.audit import Event
    from annotator.store.views import IngestResult

MODEL_ACTIONS = ("promote", "demote", "rollback", "discard")


class Desk:
    def __init__(self, store: Any, account: Account | None) -> None:
        self.store = store
        self.account = account
        self.name = actor(account)

    def may(self, role: str) -> bool:
        return self.account is None or self.account.may(role)

    # -------------------------------------------------------------------------------------- analysts
    def answer(self, target_id: int, verdict: str, *, adjudicated: bool = False, **details: Any) -> int:
        """An answer as this account; an adjudicated one needs a reviewer."""
        require(self.account, REVIEWER if adjudicated else ANALYST,
                "adjudicating" if adjudicated else "answering")
        return self.store.answer(target_id, self.name, verdict, adjudicated=adjudicated, **details)

    def add_label(self, article_id: str, layer: str, label: str, start: int | None, end: int | None,
                  note: str | None = None) -> int:
        require(self.account, ANALYST, "adding a label")
        return self.store.add_label(article_id, self.name, layer, label, start, end, note)

    def ingest(self, record: Record) -> IngestResult:
        require(self.account, ANALYST, "ingesting")
        return self.store.ingest(record, by=self.name)

    # -------------------------------------------------------------------------------------- reviewers
    def events(self, **filters: Any) -> list[Event]:
        require(self.account, REVIEWER, "reading the audit trail")
        return self.store.audit.events(**filters)

    # ----------------------------------------------------------------------------------------- admins
    def model(self, action: str, layer: str, version: str | None = None) -> str | None:
        """Promote ``version``, or demote, roll back, or discard ``version`` of ``layer``; audited. Returns
        what the registry says (the version now in use, or the one demoted)."""
        from annotator.learning.registry import Registry

        if action not in MODEL_ACTIONS:
            raise ValueError(f"unknown model action {action!r}")
        require(self.account, ADMIN, f"{action} of a {layer} model")
        registry = Registry()
        if action == "promote":
            registry.promote(layer, str(version))
            result: str | None = version
        elif action == "demote":
            result = registry.demote(layer)
        elif action == "rollback":
            result = registry.rollback(layer)
        else:
            registry.discard(layer, str(version))
            result = version
        self.store.audit.record(self.name, action, f"{layer}@{result or version}")
        return result

    def train(self, layer: str, encoder: Any, **options: Any) -> dict[str, Any]:
        """A new (unpromoted) version of ``layer`` from the store's gold; audited with its version."""
        from annotator import retrain
        from annotator.learning.registry import Registry

        require(self.account, ADMIN, f"training a {layer} model")
        report = retrain.train_from_store(layer, self.store, encoder, Registry(), **options)
        self.store.audit.record(self.name, "train", f"{layer}@{report.get('version')}",
                                micro_f1=report.get("model", {}).get("micro_f1"))
        return report
