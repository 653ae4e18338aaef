"""One way to make a Card from a document, so every kind carries the same provenance."""

from __future__ import annotations

from ..model import Card, CardKind, Document


def make_card(
    doc: Document,
    kind: CardKind,
    *,
    section: tuple[str, ...],
    key: str,
    front: str,
    back: str,
    context: str,
    ordinal: int = 0,
) -> Card:
    return Card(
        kind=kind,
        doc_id=doc.id,
        section=section,
        key=key,
        ordinal=ordinal,
        front=front,
        back=back,
        context=context,
        source_url=doc.url,
        source_title=doc.title,
        subject=doc.subject,
        subject_key=doc.subject_key,
    )
