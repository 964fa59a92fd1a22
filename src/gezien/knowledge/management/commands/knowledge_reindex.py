"""`gezien manage knowledge_reindex [--embeddings]`: rebuild the kennisbank's full-text index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gezien.knowledge.services import articles_reindex


class Command(BaseCommand):
    help = (
        "Rebuild the full-text index of the kennisbank (after changes made past the services, such as a "
        "renamed contact reason); with --embeddings also embed articles whose embedding is missing or old."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="also compute missing article embeddings (needs the learned layer; slow: ~0.1 s an article)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        indexed, embedded = articles_reindex(embeddings=options["embeddings"])
        self.stdout.write(f"{indexed} artikelen geïndexeerd, {embedded} embeddings berekend.")
