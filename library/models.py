"""The legal library's records: acts and their sections, judgments, citation edges, collections.

The library is public to every signed-in user, so none of these carry an ACL;
collections are the exception (owner, and the colleagues it is shared with).
"""

from __future__ import annotations

import re

import mongoengine as me

from mizan.storage import Model

#: Act codes are short and URL-safe: ``ppc``, ``crpc``, ``ata``.
ACT_CODE = re.compile(r"^[a-z][a-z0-9-]{1,19}$")


class Chapter(me.EmbeddedDocument):
    """A chapter heading of an act; its sections name it by ``number``."""

    number = me.StringField(required=True, max_length=20)  # "XVI"
    title = me.StringField(max_length=300)


class Act(Model):
    label = "act"
    code = me.StringField(required=True, unique=True, regex=ACT_CODE.pattern)
    title = me.StringField(required=True, max_length=300)
    citation = me.StringField(max_length=120)  # "Act XLV of 1860"
    preamble = me.StringField()
    chapters = me.EmbeddedDocumentListField(Chapter)
    section_count = me.IntField(default=0)
    source = me.StringField(max_length=300)
    imported_at = me.DateTimeField()
    meta = {"collection": "library_acts"}


class Subsection(me.EmbeddedDocument):
    """A top-level part of a section: subsection "(1)", clause "(a)", explanation, proviso…"""

    kind = me.StringField(max_length=20)
    label = me.StringField(max_length=40)
    text = me.StringField()


class Amendment(me.EmbeddedDocument):
    """An amendment marker of the printed text, as a span of the (marker-free) text."""

    mark = me.StringField(max_length=8)
    kind = me.StringField(choices=("amended", "omitted", "note"))
    start = me.IntField()
    end = me.IntField()
    note = me.StringField(max_length=1000)


class CrossRef(me.EmbeddedDocument):
    """ "section 299" in a section's text: a span and the section id it names."""

    target = me.StringField()  # "ppc:299"
    start = me.IntField()
    end = me.IntField()


class Section(Model):
    """One section of an act, addressable as ``/library/<act>/<number>``."""

    label = "section"
    act_code = me.StringField(required=True)
    number = me.StringField(required=True, max_length=20)  # "302", "337-A"
    order = me.IntField(required=True)  # position in the act, for the table of contents
    chapter = me.StringField(max_length=20)
    group = me.StringField(max_length=300)  # sub-heading it sits under ("Of Rape")
    heading = me.StringField(max_length=500)
    text = me.StringField()  # without amendment markers; ``amendments`` index into it
    amendments = me.EmbeddedDocumentListField(Amendment)
    subsections = me.EmbeddedDocumentListField(Subsection)
    xrefs = me.EmbeddedDocumentListField(CrossRef)
    #: Section ids (``ppc:299``) this one refers to.
    references = me.ListField(me.StringField())
    cited_by_count = me.IntField(default=0)
    meta = {
        "collection": "library_sections",
        "indexes": [
            {"fields": ["act_code", "number"], "unique": True},
            ("act_code", "order"),
        ],
    }


class Headnote(me.EmbeddedDocument):
    letter = me.StringField(max_length=4)  # "a"; "" when the report has a single headnote
    text = me.StringField()


class Judgment(Model):
    """A reported judgment. ``key`` is the importer's natural key, so imports repeat safely."""

    label = "judgment"
    key = me.StringField(required=True, unique=True, max_length=200)
    title = me.StringField(required=True, max_length=500)
    court = me.StringField(required=True, max_length=200)
    bench = me.ListField(me.StringField(max_length=120))
    decided_on = me.DateTimeField()
    year = me.IntField()
    parties = me.ListField(me.StringField(max_length=500))  # [first side, other side]
    case_numbers = me.ListField(me.StringField(max_length=300))
    #: Canonical citations of this judgment in the law reports (what others cite it by).
    citations = me.ListField(me.StringField(max_length=120))
    #: ``citations`` plus their aliases (renamed report volumes): what resolution matches.
    citation_keys = me.ListField(me.StringField(max_length=120))
    headnotes = me.EmbeddedDocumentListField(Headnote)
    text = me.StringField()
    topic = me.StringField(max_length=100)
    #: Canonical statute references found in the text, as "<act code>:<section>".
    statute_refs = me.ListField(me.StringField(max_length=60))
    source_url = me.StringField(max_length=500)
    source = me.StringField(max_length=40)  # "jsonl", "file"
    cited_by_count = me.IntField(default=0)
    imported_at = me.DateTimeField()
    imported_by = me.StringField()
    meta = {
        "collection": "library_judgments",
        "indexes": [
            "citation_keys",
            ("court", "year"),
            ("topic", "year"),
            "year",
            "decided_on",
            "statute_refs",
        ],
    }


class CitationEdge(Model):
    """One citation found in a judgment: resolved to a library entry, or left unresolved.

    ``target_type`` is "judgment" or "section"; ``target_id`` is empty while the
    cited work is not in the library (it resolves when that work is imported).
    """

    label = "citation"
    source_id = me.StringField(required=True)
    source_date = me.DateTimeField()  # the citing judgment's date: "newest first" lists
    source_year = me.IntField()  # for judgments whose exact date is not known
    kind = me.StringField(required=True, choices=("judgment", "statute"))
    canonical = me.StringField(required=True, max_length=200)
    raw = me.StringField(max_length=300)
    start = me.IntField(default=0)
    end = me.IntField(default=0)
    target_type = me.StringField(choices=("judgment", "section"))
    target_id = me.StringField(default="")  # "" while unresolved
    meta = {
        "collection": "library_citations",
        "indexes": [
            "source_id",
            ("target_type", "target_id", "source_year", "source_date"),
            ("kind", "target_id"),
            ("canonical", "target_id"),
        ],
    }

    @property
    def resolved(self) -> bool:
        return bool(self.target_id)


class CollectionItem(me.EmbeddedDocument):
    kind = me.StringField(required=True, choices=("section", "judgment"))
    target_id = me.StringField(required=True)
    title = me.StringField(max_length=500)  # shown even if the entry is later removed
    note = me.StringField(max_length=2000)
    added_at = me.DateTimeField()
    added_by = me.StringField()


class Collection(Model):
    """A prosecutor's named set of sections and judgments, shareable and attachable to cases."""

    label = "collection"
    name = me.StringField(required=True, max_length=120)
    owner_id = me.StringField(required=True)
    shared_with = me.ListField(me.StringField())
    items = me.EmbeddedDocumentListField(CollectionItem)
    case_ids = me.ListField(me.StringField())
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()
    meta = {
        "collection": "library_collections",
        "indexes": ["owner_id", "shared_with", "case_ids"],
    }
