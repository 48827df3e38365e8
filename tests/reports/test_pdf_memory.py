"""A rendered document leaves nothing for the cyclic collector: its boxes and layout, which hang
together in reference cycles, are collected before write_pdf returns (reports/rendering.py), so
that a gunicorn worker's memory does not climb with each of the next documents until a rare
full collection (docs/performance.md, « Memory »)."""

from __future__ import annotations

import gc

from reports.rendering import write_pdf

LETTER = "<h1>Courrier</h1>" + "<p>Votre <b>patiente</b> <i>est attendue</i> le 3 mars.</p>" * 40


def test_a_document_leaves_no_garbage_behind_it() -> None:
    write_pdf(LETTER)  # the caches of a first document (fonts, stylesheet) are not garbage
    gc.collect()

    pdf = write_pdf(LETTER)

    assert pdf.startswith(b"%PDF")
    assert gc.collect() == 0
