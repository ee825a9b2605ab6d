"""The model machinery: the frozen sentence encoder (encoders/), what a head reads and how its score is
shown (features.py), the heads (heads.py, head_inference.py), the corpora they learn from (corpora.py),
training and evaluation (training.py, metrics.py), the registry of fitted versions (registry.py), and
the n-gram features of the outlet classifier (text_features.py).

Below the taggers: a tagger imports from here, never the other way round.
"""
