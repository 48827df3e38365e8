"""Where patient files live: the local disk (MEDIA_ROOT), or S3-compatible object storage when
S3_BUCKET is set (OVHcloud, Scaleway, Outscale, MinIO: patient data in France needs an
HDS-certified host). Pure: the settings and the tests build STORAGES["default"] from a mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "clinic.storage.PrivateS3Storage"


def default_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": FILESYSTEM}
    # Encrypted at rest by the provider (SSE-S3); empty for a backend that refuses the header.
    encryption = environ.get("S3_SERVER_SIDE_ENCRYPTION", "AES256")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "region_name": environ.get("S3_REGION") or None,
        # Empty: boto3's own chain (AWS_* variables, an instance profile).
        "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "location": environ.get("S3_PREFIX", "").strip("/"),
        "addressing_style": environ.get("S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        # Private objects, never replaced: as on disk, a second file of one name gets another.
        "default_acl": "private",
        "file_overwrite": False,
        "object_parameters": {"ServerSideEncryption": encryption} if encryption else {},
    }
    return {"BACKEND": S3, "OPTIONS": options}
