"""Rows that record what happened (audit trail, decisions, access log) are written once.

Model.save()/delete() refuse on the instance; this manager's queryset refuses the bulk paths
(`update()`, `bulk_update()`, `delete()`), so that no code in
the application can rewrite history by accident. Django's cascade collector deletes through raw
SQL, not through these methods: deleting the object a record belongs to (a referral) still removes
its records, which is what a retention purge needs. In production the database role of the
application also lacks UPDATE and DELETE on these tables (docs/security.md).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(PermissionError):
    """Raised when code tries to change or delete a row that is a record of what happened."""


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def _refuse(self, verb: str) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows are never {verb}")

    def update(self, **kwargs: Any) -> NoReturn:
        self._refuse("changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        # Refused before Django opens its transaction, which a refusal inside would spoil.
        self._refuse("changed")

    def delete(self) -> NoReturn:
        self._refuse("deleted")

    # As on Django's QuerySet: templates never call these, managers do not copy delete().
    update.alters_data = True  # type: ignore[attr-defined]
    bulk_update.alters_data = True  # type: ignore[attr-defined]
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyModel(models.Model):
    """A row written once and never changed nor deleted by the application."""

    # Bulk update()/delete() refuse too (AppendOnlyQuerySet).
    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted")
