"""What the library contributes to Mizan: its stored models, index handler, tasks, commands."""

from __future__ import annotations

from library import cli
from library.browse import section_texts
from library.indexing import TOPIC, index_library, reindex_library
from library.models import Act, CitationEdge, Collection, Judgment, Section
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Act, Section, Judgment, CitationEdge, Collection]
    registry.outbox_handlers[TOPIC] = index_library
    # An import indexes (and embeds) thousands of judgments: bulk work, on its own queue.
    registry.bulk_topics.add(TOPIC)
    registry.bulk_tasks.add("library.import_judgments")
    registry.reindexers.append(reindex_library)
    registry.section_texts.append(section_texts)
    registry.task_modules.append("library.tasks")
    registry.job_tasks["library.import"] = "library.import_judgments"
    registry.commands += [
        cli.import_statute_cmd,
        cli.import_judgments_cmd,
        cli.citations,
        cli.build_citation_devset_cmd,
    ]
