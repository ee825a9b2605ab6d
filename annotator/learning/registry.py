"""The model registry under models/: one folder per layer and version.

    models/<layer>/<version>/head.skops    the fitted estimator, saved without pickle (skops)
    models/<layer>/<version>/head.safetensors  its arrays, what prediction loads (numpy alone)
    models/<layer>/<version>/model.json    labels, encoder version, features, training data
    models/<layer>/<version>/metrics.json  held-out figures beside the baselines
    models/<layer>/<version>/CARD.md       the model card
    models/<layer>/<version>/features.json, features.safetensors   for a head over n-gram features
                                           (the outlet layer): its vocabulary and idf weights
    models/<layer>/<version>/SHA256SUMS    the sha256 of each file that loading reads, written at save:
                                           a file changed since is refused (E016), as is a skops file
                                           holding a type the project does not trust
    models/<layer>/registry.json           {"promoted": {tier: version}, "history": {tier: [earlier
                                           promotions]}, "discarded": [...]}

A new version is never used until promoted; rollback returns to the previous promotion. Each tier
(annotator.learning.tiers) has its own promoted version: a head reads one encoder's vectors. Files
written before tiers ({"promoted": version, "history": [...]}) read as the tier of that version.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator import paths, taxonomy
from annotator.learning import tiers
from annotator.learning.head_inference import FittedHead

if TYPE_CHECKING:
    from annotator.learning.heads import LabelHead
    from annotator.learning.text_features import TextFeatures

# What each trainable layer predicts. `check_worthiness` scores the claim layer's unattributed_claim.
MODEL_LABELS: dict[str, tuple[str, ...]] = {
    "check_worthiness": ("check_worthy",),
    taxonomy.CLAIM: taxonomy.CLAIM_LABELS,
    taxonomy.FRAME: taxonomy.FRAME_LABELS,
    taxonomy.TECHNIQUE: taxonomy.TECHNIQUE_LABELS,
    # the publishing outlet: its labels are the outlets each version learnt (model.json has them)
    taxonomy.OUTLET: (),
}
# How each layer's head turns probabilities into labels (see annotator.learning.heads): check-worthiness is
# prevalence-free because its share of positives differs from one source to the next.
DECISION = {"check_worthiness": "balanced"}

# The only types a head file may hold beyond scikit-learn's and numpy's: loading refuses anything else.
log = logging.getLogger(__name__)

TRUSTED_TYPES = {"annotator.learning.heads.LabelHead"}
# Where a trusted class lived when older heads were saved (before annotator/learning/ existed): such a
# file still loads, its class found at the new address.
MOVED_MODULES = {"annotator.heads": "annotator.learning.heads"}
TRUSTED_TYPES |= {f"{old}.LabelHead" for old in MOVED_MODULES}


# What loading reads, so what the checksums cover (the card and the figures are for people).
CHECKED = ("head.skops", "head.safetensors", "model.json", "features.json", "features.safetensors")
SUMS = "SHA256SUMS"


def write_sums(folder: Path) -> None:
    """``folder``'s SHA256SUMS (sha256sum's format: `sha256sum -c SHA256SUMS` checks it too)."""
    lines = [f"{paths.sha256(folder / name)}  {name}\n" for name in CHECKED if (folder / name).exists()]
    (folder / SUMS).write_text("".join(lines), "utf-8")


class RegistryError(ValueError):
    pass


def _alias_moved_modules(types: set[str]) -> None:
    """skops imports a saved class by its module path: point the old paths at the new modules."""
    import importlib
    import sys

    for old, new in MOVED_MODULES.items():
        if any(t.startswith(old + ".") for t in types) and old not in sys.modules:
            sys.modules[old] = importlib.import_module(new)


@dataclass
class LayerModel:
    layer: str
    labels: list[str]
    head: LabelHead | FittedHead
    encoder: str  # the encoder version the head was fitted on
    version: str | None = None
    info: dict[str, Any] = field(default_factory=dict)  # training data, features, date
    # what the head reads when it is not the encoder's embeddings: the n-gram features fitted with it
    features: TextFeatures | None = None

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.head.predict_proba(X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.head.predict(X)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


class Registry:
    def __init__(self, root: Path | None = None) -> None:
        # $ANNOTATOR_MODELS read now, not at import: a dashboard or a test may set it after start-up
        self.root = Path(root or os.environ.get("ANNOTATOR_MODELS") or paths.MODELS)

    def _check(self, layer: str) -> None:
        if layer not in MODEL_LABELS:
            raise RegistryError(f"no trainable layer {layer!r}; layers are {', '.join(MODEL_LABELS)}")

    def _state(self, layer: str) -> dict[str, Any]:
        file = self.root / layer / "registry.json"
        state = json.loads(file.read_text("utf-8")) if file.exists() else {}
        promoted, history = state.get("promoted"), state.get("history") or {}
        # written before tiers: one promoted version
        if not isinstance(promoted, dict) or isinstance(history, list):
            promoted = promoted if isinstance(promoted, str) else None
            known = [v for v in [promoted, *history] if v]
            tier = self.tier_of(layer, known[-1]) if known else tiers.ACCURATE
            promoted, history = (({tier: promoted} if promoted else {}),
                                 ({tier: list(history)} if history else {}))
        return {"promoted": promoted, "history": history, "discarded": state.get("discarded", [])}

    def tier_of(self, layer: str, version: str) -> str:
        """The tier a version serves: from its model.json (``tier``, else its encoder's name)."""
        file = self.root / layer / version / "model.json"
        if not file.exists():
            return tiers.ACCURATE
        meta = json.loads(file.read_text("utf-8"))
        if meta.get("tier"):
            return str(meta["tier"])
        if layer == taxonomy.OUTLET or isinstance(meta.get("features"), dict):  # n-grams, no encoder
            return tiers.ANY
        return tiers.of_encoder(meta.get("encoder"))

    @staticmethod
    def _slot(state: dict[str, Any], tier: str | None) -> str:
        """Where the state of ``tier`` lives: its own entry, or ``any`` for heads that read no encoder."""
        tier = tier or tiers.current()
        if tier not in state["promoted"] and not state["history"].get(tier) and (
                tiers.ANY in state["promoted"] or state["history"].get(tiers.ANY)):
            return tiers.ANY
        return tier

    def _save_state(self, layer: str, state: dict[str, Any]) -> None:
        (self.root / layer).mkdir(parents=True, exist_ok=True)
        _write_atomic(self.root / layer / "registry.json", json.dumps(state, indent=2) + "\n")

    def versions(self, layer: str) -> list[str]:
        folder = self.root / layer
        return sorted((p.name for p in folder.iterdir() if (p / "head.skops").exists()),
                      key=lambda v: [int(x) if x.isdigit() else x for x in v.replace("-", ".").split(".")]) \
            if folder.exists() else []

    def layers(self) -> list[str]:
        return [layer for layer in MODEL_LABELS if self.versions(layer)]

    def promoted(self, layer: str, tier: str | None = None) -> str | None:
        """The version in use for ``tier`` (default: the tier in use)."""
        state = self._state(layer)
        return state["promoted"].get(self._slot(state, tier))

    def promotions(self, layer: str) -> dict[str, str]:
        """Every tier's promoted version."""
        return dict(self._state(layer)["promoted"])

    def next_version(self, layer: str) -> str:
        """The date and a counter: 2026-11-25.1, 2026-11-25.2, ..."""
        today = dt.date.today().isoformat()
        # past the highest counter of today, discarded versions included: a name is never reused
        used = [*self.versions(layer), *self._state(layer).get("discarded", [])]
        counters = [int(v.rsplit(".", 1)[1]) for v in used
                    if v.startswith(today + ".") and v.rsplit(".", 1)[1].isdigit()]
        return f"{today}.{1 + max(counters, default=0)}"

    def save(self, model: LayerModel, metrics: dict[str, Any], card: str) -> str:
        """Write a new version (not promoted) and return its name."""
        import skops.io as sio

        self._check(model.layer)
        version = model.version or self.next_version(model.layer)
        final = self.root / model.layer / version
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{version}."))
        sio.dump(model.head, tmp / "head.skops")
        FittedHead.save(model.head, tmp / "head.safetensors")
        meta = {"layer": model.layer, "version": version, "labels": model.labels, "encoder": model.encoder,
                **model.info}
        (tmp / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
        (tmp / "CARD.md").write_text(card, "utf-8")
        if model.features is not None:
            model.features.save(tmp)
        write_sums(tmp)
        tmp.chmod(0o755)
        tmp.rename(final)  # a version appears whole or not at all
        model.version = version
        return version

    def load(self, layer: str, version: str | None = None, *, full: bool = False) -> LayerModel:
        """The promoted (or given) version: its arrays for prediction, or with `full` the whole
        scikit-learn estimator from its skops file, checked against the trusted types."""

        self._check(layer)
        version = version or self.promoted(layer)
        if version is None:
            raise RegistryError(f"no promoted version of {layer!r}: "
                                "train one, then `annotator models promote`")
        folder = self.root / layer / version
        if not (folder / "head.skops").exists():
            raise RegistryError(f"no version {version!r} of {layer!r}; "
                                f"versions: {', '.join(self.versions(layer))}")
        self.verify(layer, version)
        meta = json.loads((folder / "model.json").read_text("utf-8"))
        from annotator.learning.text_features import TextFeatures

        features = TextFeatures.load(folder) if TextFeatures.present(folder) else None
        if not full and (folder / "head.safetensors").exists():
            return LayerModel(layer=layer, labels=meta["labels"],
                              head=FittedHead.load(folder / "head.safetensors"), encoder=meta["encoder"],
                              version=version, info=meta, features=features)
        import skops.io as sio

        untrusted = set(sio.get_untrusted_types(file=folder / "head.skops"))
        if untrusted - TRUSTED_TYPES:
            raise RegistryError(f"{folder / 'head.skops'} holds types this project does not trust: "
                                f"{sorted(untrusted - TRUSTED_TYPES)}")
        _alias_moved_modules(untrusted)
        head = sio.load(folder / "head.skops", trusted=sorted(untrusted))
        return LayerModel(layer=layer, labels=meta["labels"], head=head, encoder=meta["encoder"],
                          version=version, info=meta, features=features)

    def verify(self, layer: str, version: str) -> None:
        """Refuse (E016) a version whose files changed since it was saved, or that lost one. A version
        saved before checksums existed has no SHA256SUMS: it loads, with a warning."""
        folder = self.root / layer / version
        sums = folder / SUMS
        if not sums.exists():
            log.warning("%s %s has no %s (saved before checksums): its files are not checked", layer,
                        version, SUMS)
            return
        for line in sums.read_text("utf-8").splitlines():
            expected, _, name = line.partition("  ")
            path = folder / name
            if name not in CHECKED or not path.exists() or paths.sha256(path) != expected:
                raise RegistryError(f"[E016] {path}: changed or missing since {layer} {version} was saved "
                                    "(its sha256 is not the one recorded in SHA256SUMS): refused; restore "
                                    "the file, or train the version again")

    def metrics(self, layer: str, version: str) -> dict[str, Any]:
        return json.loads((self.root / layer / version / "metrics.json").read_text("utf-8"))

    def promote(self, layer: str, version: str) -> None:
        self._check(layer)
        if version not in self.versions(layer):
            raise RegistryError(f"no version {version!r} of {layer!r}; "
                                f"versions: {', '.join(self.versions(layer))}")
        self.verify(layer, version)  # a changed file is refused before it is used, not after
        state = self._state(layer)
        tier = self.tier_of(layer, version)
        current = state["promoted"].get(tier)
        if current and current != version:
            state["history"].setdefault(tier, []).append(current)
        state["promoted"][tier] = version
        self._save_state(layer, state)

    def demote(self, layer: str, tier: str | None = None) -> str:
        """Stop using the layer's promoted version of ``tier`` (the first one too, which rollback cannot
        undo): none is promoted afterwards, and rollback brings this one back. Returns the version."""
        self._check(layer)
        state = self._state(layer)
        slot = self._slot(state, tier)
        version = state["promoted"].pop(slot, None)
        if not version:
            raise RegistryError(f"no promoted version of {layer!r} ({slot} tier) to demote")
        state["history"].setdefault(slot, []).append(version)
        self._save_state(layer, state)
        return version

    def discard(self, layer: str, version: str) -> None:
        """Delete a version that was never promoted (a trial that did not beat the current one)."""
        self._check(layer)
        state = self._state(layer)
        if version in state["promoted"].values() or any(version in h for h in state["history"].values()):
            raise RegistryError(f"{layer} {version} has been promoted: "
                                "it stays, so that rollback can reach it")
        folder = self.root / layer / version
        if version not in self.versions(layer):
            raise RegistryError(f"no version {version!r} of {layer!r}; "
                                f"versions: {', '.join(self.versions(layer))}")
        trash = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{version}.discarded."))
        folder.rename(trash / version)  # gone from the listing at once, whole
        shutil.rmtree(trash)
        state.setdefault("discarded", []).append(version)
        self._save_state(layer, state)

    def rollback(self, layer: str, tier: str | None = None) -> str:
        self._check(layer)
        state = self._state(layer)
        slot = self._slot(state, tier)
        if not state["history"].get(slot):
            raise RegistryError(f"nothing to roll back to: {layer!r} has no earlier promoted version "
                                f"({slot} tier)")
        state["promoted"][slot] = state["history"][slot].pop()
        self._save_state(layer, state)
        return state["promoted"][slot]
