"""The S3-compatible storage of patient files (config/storage.py chooses it)."""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Objects are private and leave the bucket only through the permission-checked views
    (referrals.views.gp.attachment_download, the FHIR API), which stream them: no public or
    pre-signed URL that would outlive the request and its access check."""

    def url(self, name: str | None, parameters: object = None, expire: object = None) -> str:
        raise NotImplementedError(
            "Patient files have no URL: stream them through a view that checks access."
        )
