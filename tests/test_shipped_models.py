"""Every head shipped in models/ loads, both ways (its arrays for annotating, the whole skops estimator
for training and evaluation), and predicts on the seed what it predicted before the model machinery
moved to annotator/learning/ (tests/data/shipped_heads_seed.json was written by the code before the
move). The skops files name their class by its old path, annotator.heads.LabelHead: they must still
load, and nothing but that class may be trusted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotator.learning.features import design
from annotator.learning.registry import TRUSTED_TYPES, Registry


@pytest.fixture(scope="module")
def encoder():
    from annotator.learning.encoders import Encoder

    return Encoder()


REFERENCE = json.loads((Path(__file__).parent / "data" / "shipped_heads_seed.json").read_text("utf-8"))


def test_every_shipped_head_is_in_the_reference():
    registry = Registry()
    shipped = {f"{layer}/{v}" for layer in ("check_worthiness", "claim", "frame", "technique")
               for v in registry.versions(layer)}
    assert set(REFERENCE["heads"]) <= shipped
    assert {"check_worthiness/2026-11-25.1", "claim/2026-11-25.1", "frame/2026-11-25.1",
            "technique/2026-11-25.1"} <= set(REFERENCE["heads"])


def test_only_the_head_class_is_trusted_under_its_old_and_new_names():
    assert TRUSTED_TYPES == {"annotator.learning.heads.LabelHead", "annotator.heads.LabelHead"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REFERENCE["heads"]))
def test_a_shipped_head_predicts_on_the_seed_what_it_did_before_the_move(name, encoder):
    layer, version = name.split("/")
    registry = Registry()
    arrays = registry.load(layer, version)
    full = registry.load(layer, version, full=True)
    assert type(full.head).__module__ == "annotator.learning.heads"
    texts = REFERENCE["texts"]
    X = design(layer, texts, ["fr"] * len(texts), encoder)
    expected = np.asarray(REFERENCE["heads"][name])
    np.testing.assert_allclose(arrays.predict_proba(X), full.predict_proba(X), atol=1e-5)
    # the reference was embedded in float32; machines with native bfloat16 embed at cosine >= 0.996
    np.testing.assert_allclose(arrays.predict_proba(X), expected, atol=0.03)
