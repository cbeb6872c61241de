"""Pure parsers of Pakistani legal text: act names and section references, case numbers,
person names, statute structure and law-report citations.

Kept apart from the domain packages so that every package (case files, ingestion, search,
the library) reads legal text the same way, and so that the grammars can be tested on their
own, with arbitrary input. Nothing here imports Mizan, a store, Flask or i18n: modules take
text and return values or raise their own ``ValueError`` subclasses.
"""
