"""annotator: media-source bias and provenance annotation of news articles.

The public face is small: ``annotate_text`` for one article, ``Pipeline`` for many,
and the record classes that every layer reads and writes.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from annotator.pipeline import Pipeline, annotate_text
from annotator.record import Annotation, Answer, Outlet, Record

__all__ = ["Annotation", "Answer", "Outlet", "Pipeline", "Record", "__version__", "annotate_text"]
