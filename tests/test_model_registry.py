import json

import numpy as np
import pytest
import skops.io as sio

from annotator.learning.heads import LabelHead
from annotator.learning.registry import LayerModel, Registry, RegistryError, write_sums


class Foreign:
    """Stands for any object a tampered head file could carry."""

    def __init__(self) -> None:
        self.payload = "x"


def model(seed: int) -> LayerModel:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 4))
    head = LabelHead(folds=3).fit(X, (X[:, 0] > 0).astype(int))
    return LayerModel("check_worthiness", ["check_worthy"], head, encoder="enc@1")


def test_save_load_promote_rollback(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_TIER", "accurate")  # model() is fitted on a transformer ("enc@1")
    registry = Registry(tmp_path)
    first = registry.save(model(0), {"model": {"micro_f1": 0.5}}, "# card")
    second = registry.save(model(1), {"model": {"micro_f1": 0.6}}, "# card")
    assert registry.versions("check_worthiness") == [first, second] and first != second
    with pytest.raises(RegistryError, match="no promoted version"):
        registry.load("check_worthiness")
    registry.promote("check_worthiness", first)
    registry.promote("check_worthiness", second)
    loaded = registry.load("check_worthiness")
    assert loaded.version == second and loaded.encoder == "enc@1"
    X = np.random.default_rng(2).normal(size=(5, 4))
    assert np.allclose(loaded.predict_proba(X), model(1).predict_proba(X))
    assert registry.rollback("check_worthiness") == first
    assert registry.load("check_worthiness").version == first
    with pytest.raises(RegistryError, match="nothing to roll back"):
        registry.rollback("check_worthiness")
    # the first promotion is undone by demoting it; rollback brings it back
    assert registry.demote("check_worthiness") == first and registry.promoted("check_worthiness") is None
    with pytest.raises(RegistryError, match="no promoted version"):
        registry.load("check_worthiness")
    assert registry.rollback("check_worthiness") == first
    full = registry.load("check_worthiness", second, full=True)
    assert isinstance(full.head, LabelHead) and np.allclose(full.predict_proba(X), loaded.predict_proba(X))
    for name in ("head.skops", "head.safetensors", "model.json", "metrics.json", "CARD.md"):
        assert (tmp_path / "check_worthiness" / first / name).exists()


def test_a_head_file_with_foreign_types_is_refused(tmp_path):
    registry = Registry(tmp_path)
    version = registry.save(model(0), {}, "# card")
    folder = tmp_path / "check_worthiness" / version
    sio.dump(Foreign(), folder / "head.skops")
    with pytest.raises(RegistryError, match=r"\[E016\].*head.skops: changed"):
        registry.load("check_worthiness", version, full=True)
    write_sums(folder)  # whoever swapped the file wrote its checksum too: skops's type check still holds
    with pytest.raises(RegistryError, match="does not trust.*Foreign"):
        registry.load("check_worthiness", version, full=True)


def test_a_changed_weight_is_refused_and_the_promoted_version_stays_in_use(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_TIER", "accurate")
    registry = Registry(tmp_path)
    good = registry.save(model(0), {}, "# card")
    registry.promote("check_worthiness", good)
    trial = registry.save(model(1), {}, "# card")
    weights = tmp_path / "check_worthiness" / trial / "head.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01  # one bit of one weight
    weights.write_bytes(bytes(data))
    for load in (lambda: registry.load("check_worthiness", trial),
                 lambda: registry.promote("check_worthiness", trial)):
        with pytest.raises(RegistryError, match=r"\[E016\].*head.safetensors: changed"):
            load()
    assert registry.promoted("check_worthiness") == good
    assert registry.load("check_worthiness").version == good
    (tmp_path / "check_worthiness" / good / "model.json").unlink()
    with pytest.raises(RegistryError, match=r"model.json: changed or missing"):
        registry.load("check_worthiness")


def test_every_shipped_version_carries_its_checksums():
    registry = Registry()
    for layer in ("check_worthiness", "claim", "frame", "technique"):
        for version in registry.versions(layer):
            assert (registry.root / layer / version / "SHA256SUMS").exists(), (layer, version)
            registry.verify(layer, version)


def test_unknown_layer_and_version(tmp_path):
    registry = Registry(tmp_path)
    with pytest.raises(RegistryError, match="layers are"):
        registry.promote("sentiment", "x")
    with pytest.raises(RegistryError, match="no version"):
        registry.promote("claim", "2020-01-01.1")
    assert json.loads(json.dumps(registry.layers())) == []


def test_a_discarded_trial_is_gone_and_its_name_is_never_reused(tmp_path):
    registry = Registry(tmp_path)
    first = registry.save(model(0), {}, "# card")
    trial = registry.save(model(1), {}, "# card")
    registry.promote("check_worthiness", first)
    with pytest.raises(RegistryError, match="promoted"):
        registry.discard("check_worthiness", first)  # rollback must be able to reach it
    registry.discard("check_worthiness", trial)
    assert registry.versions("check_worthiness") == [first]
    assert not (tmp_path / "check_worthiness" / trial).exists()
    after = registry.save(model(2), {}, "# card")
    assert after not in (first, trial) and registry.versions("check_worthiness") == [first, after]


def test_each_tier_has_its_own_promoted_version(tmp_path, monkeypatch):
    """A head reads one encoder's vectors: the static tier's promotion never replaces the accurate one's,
    and annotating with a tier loads that tier's version."""
    registry = Registry(tmp_path)
    accurate = registry.save(model(0), {}, "# card")
    static_model = model(1)
    static_model.encoder = "multilingual-e5-small-static@abc"
    static = registry.save(static_model, {}, "# card")
    assert registry.tier_of("check_worthiness", accurate) == "accurate"
    assert registry.tier_of("check_worthiness", static) == "static"
    registry.promote("check_worthiness", accurate)
    registry.promote("check_worthiness", static)
    assert registry.promotions("check_worthiness") == {"accurate": accurate, "static": static}
    monkeypatch.setenv("ANNOTATOR_TIER", "static")
    assert registry.load("check_worthiness").version == static
    monkeypatch.setenv("ANNOTATOR_TIER", "accurate")
    assert registry.load("check_worthiness").version == accurate
    assert registry.demote("check_worthiness", "static") == static
    assert registry.promoted("check_worthiness", "static") is None
    assert registry.promoted("check_worthiness") == accurate


def test_a_registry_file_written_before_tiers_reads_as_the_tier_of_its_version(tmp_path, monkeypatch):
    registry = Registry(tmp_path)
    first, second = registry.save(model(0), {}, "# card"), registry.save(model(1), {}, "# card")
    (tmp_path / "check_worthiness" / "registry.json").write_text(
        json.dumps({"promoted": second, "history": [first]}), "utf-8")
    monkeypatch.setenv("ANNOTATOR_TIER", "accurate")
    assert registry.promoted("check_worthiness") == second
    assert registry.rollback("check_worthiness") == first
    monkeypatch.setenv("ANNOTATOR_TIER", "static")
    assert registry.promoted("check_worthiness") is None
