"""Who did something, for the audit trail: a person, a system holding an API key, or the service itself.

Every event leaves a line: received, digitized, signed, corrected (a new e-form version), signed
off, and every read of a document, its page images and its search snippets."""
from __future__ import annotations

from dataclasses import dataclass

from .services import Services


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    client: str | None = None


SERVICE = Actor("digitize-worker", "system")  # the workers: digitizing and signing
HOT_FOLDER = Actor("hot-folder", "system")
COMMAND_LINE = Actor("command-line", "system")  # `digitize process`


def record(services: Services, actor: Actor, action: str, *, code: str | None = None, owner_id: str | None = None,
           detail: str | None = None) -> None:
    services.catalog.audit(who=actor.name, role=actor.role, action=action, document_code=code, owner_id=owner_id,
                           client=actor.client, detail=detail)
