"""annotator: media-source bias and provenance annotation of news articles.

The public face is small: ``annotate_text`` for one article, ``Pipeline`` for many,
and the record classes that every layer reads and writes.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from annotator.record import Annotation, Answer, Outlet, Record  # noqa: E402
from annotator.pipeline import Pipeline, annotate_text  # noqa: E402

__all__ = ["Annotation", "Answer", "Outlet", "Pipeline", "Record", "annotate_text", "__version__"]
