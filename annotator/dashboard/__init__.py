"""The review dashboard (``streamlit run app.py``): pages over the store, no business logic of its own.

Article text, titles, outlet profiles and user names are hostile data: they reach the page only as
escaped markdown (``safe.md``), escaped HTML (``highlight.highlight_html``), ``textContent`` in the
span-selection component, or dataframes.
"""
