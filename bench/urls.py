"""The product's urls plus the bench's bare baseline views (only ever loaded by bench.settings)."""

from __future__ import annotations

from django.urls import path

from bench import baseline
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as product

urlpatterns = [
    path("bench/worklist-rows/", baseline.worklist_rows, name="bench_worklist_rows"),
    path("bench/gp-rows/", baseline.gp_rows, name="bench_gp_rows"),
    path("bench/layout/", baseline.layout_page, name="bench_layout"),
    *product,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
