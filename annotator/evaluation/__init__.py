"""Scripts that run the whole pipeline over a data set and report figures: claims.py (the claim layer
on hand-labelled sentences and WikiWeasel), extraction.py (the 51 real pages' main text),
outlet_pages.py (the publisher of those pages), bench.py (speed and memory).

Above the pipeline: nothing in the library imports from here.
"""
