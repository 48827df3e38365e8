"""A local S3-compatible server (moto's server mode on 127.0.0.1), and the file storage of a test:
the local disk or a fresh bucket on that server (`storage_backend`, parametrised by the tests)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.storage import default_storage as storage_config

S3_KEYS = {"S3_ACCESS_KEY_ID": "cimento-test", "S3_SECRET_ACCESS_KEY": "cimento-test-secret"}
S3_REGION = "eu-west-3"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint: str) -> dict[str, str]:
    """A fresh bucket on the local server, as the environment that configures it."""
    bucket = f"cimento-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
    )
    return {
        **S3_KEYS,
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": S3_REGION,
        "S3_ADDRESSING_STYLE": "path",
    }


@pytest.fixture
def s3_storage(s3_endpoint: str, settings: Any) -> dict[str, str]:
    """Files in a fresh bucket on the local server, configured as S3_* variables would."""
    environ = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(environ)}
    return environ


@pytest.fixture(params=["disk", "s3"])
def storage_backend(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of the storage under test: {} for the local disk, a bucket's for S3."""
    return {} if request.param == "disk" else request.getfixturevalue("s3_storage")
