"""Media storage in an S3-compatible bucket (AWS S3, MinIO, R2, …) through boto3."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from shop.media import StorageUnavailable, check_name

# Renditions are named by content hash: a name always means the same bytes.
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"
NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def s3_client(config: dict[str, Any]) -> Any:
    """A boto3 S3 client from the shop's settings; credentials come from the usual AWS sources."""
    return boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        # Fail fast and say so: an upload form should not hang for minutes on a dead endpoint.
        config=Config(
            connect_timeout=5, read_timeout=20, retries={"max_attempts": 2, "mode": "standard"}
        ),
    )


class S3MediaStorage:
    """Media in one bucket; public ones are linked under base_url (a CDN or the bucket URL)."""

    def __init__(self, client: Any, bucket: str, base_url: str, *, public: bool) -> None:
        """Store in bucket with client; public files get a year-long Cache-Control."""
        self.client = client
        self.bucket = bucket
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.public = public

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the client, which can't be pickled: `flask seed-demo` hands the
        storage to a process pool to draw photos on every core. The copy connects anew."""
        state = self.__dict__.copy()
        client = state.pop("client")
        state["client_settings"] = {
            "S3_ENDPOINT_URL": client.meta.endpoint_url,
            "S3_REGION": client.meta.region_name,
        }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        settings = state.pop("client_settings")
        self.__dict__.update(state)
        self.client = s3_client(settings)

    def _call(self, operation: str, **kwargs: Any) -> Any:
        failed = f"S3 {operation} in bucket {self.bucket!r} failed"
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
                raise FileNotFoundError(kwargs.get("Key", "")) from None
            raise StorageUnavailable(f"{failed}: {error}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"{failed}: {error}") from error

    def save(self, name: str, data: bytes) -> None:
        """Upload data under name, replacing any existing object."""
        content_type = mimetypes.guess_type(check_name(name))[0] or "application/octet-stream"
        extra = {"CacheControl": PUBLIC_CACHE_CONTROL} if self.public else {}
        self._call("put_object", Key=name, Body=data, ContentType=content_type, **extra)

    def exists(self, name: str) -> bool:
        """Tell whether an object is stored under name."""
        try:
            self._call("head_object", Key=check_name(name))
        except FileNotFoundError:
            return False
        return True

    def url(self, name: str) -> str:
        """Return the public URL of the object stored under name."""
        return self.base_url + check_name(name)

    def path(self, name: str) -> Path | None:
        """Objects have no local path."""
        check_name(name)
        return None

    def read(self, name: str) -> bytes | None:
        """Return the object's bytes, or None if there is none."""
        try:
            response = self._call("get_object", Key=check_name(name))
        except FileNotFoundError:
            return None
        return response["Body"].read()

    def delete(self, name: str) -> bool:
        """Delete the object; True if it was there."""
        if not self.exists(name):
            return False
        self._call("delete_object", Key=name)
        return True
