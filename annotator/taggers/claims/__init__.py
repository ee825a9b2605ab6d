"""The claim layer: statements the outlet relays without standing behind them, and on whose word.

Rules, per sentence of the body (page furniture is never read):
- reported_conditional: hearsay in the outlet's voice (`conditional`): the French journalistic
  conditional read from the parse (`fr.conditional`: not a si-clause, not a future-in-the-past after a
  past reporting verb, not a polite «je voudrais», not an epistemic «pourrait», which is a hedge);
  elsewhere by the language's patterns: English «reportedly», «is said to»; German «soll ... haben» and
  Konjunktiv I; Spanish «habría» and Italian «avrebbe» with a participle.
- single_source / anonymous_source / weasel: who the content rests on (`sources`) — «selon X», «X
  affirme que», a quote of one speaker — typed as a named source, an unnamed specific one, or a vague
  collective; `interested` when the source is a party to the story.
- hedge: epistemic markers per language.
- unattributed_claim: what is left in the outlet's own voice, when the check-worthiness head scores it
  check-worthy (`tagger`).

The modules: `tagger` (ClaimTagger: the steps of a sentence, the check-worthiness gate, the learned claim
head), `sources` and `conditional` (the rules, the same in every language), `language` (what a language
module provides), `languages` (the modules found by name), and one module per language — `fr`, `en`,
`de`, `es`, `it` — holding that language's cues (with where they come from) and its rules over the parse.

Adding a language: write ``claims/xx.py`` (``xx`` the language's ISO 639-1 code, as the pipeline detects
it) defining ``LANGUAGE = Language(code="xx", ...)`` with the pattern sections of `language.SECTIONS` it
has cues for (hedge, hearsay, attribution, reporting_verbs_that, anonymous, weasel, ...; a section left
out is off) and any hooks it needs; nothing to register. Then add its minimal pairs to
tests/test_claims.py and a hand-labelled ``tests/data/claims_test_xx.jsonl`` for tests/test_claims_eval.py.
"""

from annotator.taggers.claims.tagger import MIN_LEARNED, ClaimTagger

__all__ = ["MIN_LEARNED", "ClaimTagger"]
