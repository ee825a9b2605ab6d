"""annotator: media-source bias and provenance annotation of news articles.

The public face is small: ``annotate_text`` for one article, ``Pipeline`` for many,
and the record classes that every layer reads and writes.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from annotator.record import Annotation, Answer, Outlet, Record

__all__ = ["Annotation", "Answer", "Outlet", "Pipeline", "Record", "__version__", "annotate_text"]


def __getattr__(name: str) -> object:
    # The pipeline loads spaCy, lingua and the registry: only for those who ask for it, not for every
    # `import annotator.<anything>` (the command line's start, each worker process).
    if name in ("Pipeline", "annotate_text"):
        from annotator import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
