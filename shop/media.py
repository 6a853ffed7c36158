"""Storage gateway for uploaded and generated media files (product photos)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

# Flat names only: no separators and no leading dot, so a name can never climb out of the
# media folder or hit a hidden/temporary file. fullmatch (not ^...$) so "x\n" is refused too.
_NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_MAX_NAME_LENGTH = 200  # comfortably below the 255-byte file name limit of common filesystems


def check_name(name: str) -> str:
    """Return name unchanged if it is a safe flat media name, else raise ValueError."""
    if (
        not isinstance(name, str)
        or len(name) > _MAX_NAME_LENGTH
        or _NAME_RE.fullmatch(name) is None
    ):
        raise ValueError(f"Invalid media name: {name!r}")
    return name


class StorageUnavailable(RuntimeError):
    """The media storage could not be reached or refused the request (e.g. S3 is down)."""


@runtime_checkable
class MediaStorage(Protocol):
    """Where processed media files live; names are flat, e.g. ``3fa2c9d1e0b47a55-640.webp``."""

    def save(self, name: str, data: bytes) -> None:
        """Store data under name, replacing any existing file."""
        ...

    def exists(self, name: str) -> bool:
        """Tell whether a file is stored under name."""
        ...

    def url(self, name: str) -> str:
        """Return the public URL of the file stored under name."""
        ...

    def path(self, name: str) -> Path | None:
        """Return the local file path to serve, or None if there is no such local file."""
        ...

    def read(self, name: str) -> bytes | None:
        """Return the bytes stored under name, or None if there is no such file."""
        ...

    def delete(self, name: str) -> bool:
        """Delete the file stored under name; True if it was there."""
        ...


class LocalMediaStorage:
    """Media storage in a local folder, served under base_url."""

    def __init__(self, root: str | Path, base_url: str = "/media/") -> None:
        """Use root as the media folder (created on first save)."""
        self.root = Path(root)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"

    def _file(self, name: str) -> Path:
        return self.root / check_name(name)

    def save(self, name: str, data: bytes) -> None:
        """Write data atomically so readers never see a half-written file."""
        target = self._file(name)
        self.root.mkdir(parents=True, exist_ok=True)
        # The temp file lives in the same folder so os.replace is an atomic rename; its
        # leading dot makes it an invalid media name, so it can never be served.
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            # mkstemp creates 0600; media are public and may be served by a web server
            # running as another user.
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, target)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
            raise

    def exists(self, name: str) -> bool:
        """Tell whether a file is stored under name."""
        return self._file(name).is_file()

    def url(self, name: str) -> str:
        """Return the public URL of the file stored under name."""
        return self.base_url + check_name(name)

    def path(self, name: str) -> Path | None:
        """Return the file's local path, or None if it does not exist."""
        file = self._file(name)
        return file if file.is_file() else None

    def read(self, name: str) -> bytes | None:
        """Return the file's bytes, or None if it does not exist."""
        file = self.path(name)
        return file.read_bytes() if file else None

    def delete(self, name: str) -> bool:
        """Delete the file; True if it was there."""
        file = self._file(name)
        if not file.is_file():
            return False
        file.unlink(missing_ok=True)
        return True

    def names(self) -> list[str]:
        """Every valid media name stored in the folder, sorted (temporary files left out)."""
        if not self.root.is_dir():
            return []
        found = []
        for entry in self.root.iterdir():
            if entry.is_file() and _NAME_RE.fullmatch(entry.name) and len(entry.name) <= 200:
                found.append(entry.name)
        return sorted(found)


def local_roots(config: Any) -> tuple[Path, Path]:
    """The local folders for public media and for buyers' private files."""
    private = config.get("PRIVATE_MEDIA_ROOT") or os.path.join(
        os.path.dirname(os.path.abspath(config["MEDIA_ROOT"])), "private"
    )
    return Path(config["MEDIA_ROOT"]), Path(private)


def media_storages(config: Any) -> tuple[MediaStorage, MediaStorage]:
    """The public and the private storage chosen by MEDIA_STORAGE (local folders or S3)."""
    if config.get("MEDIA_STORAGE", "local") == "s3":
        from shop.gateways.object_storage import S3MediaStorage, s3_client

        client = s3_client(config)
        public = S3MediaStorage(client, config["S3_BUCKET"], config["MEDIA_URL"], public=True)
        private = S3MediaStorage(
            client, config["S3_PRIVATE_BUCKET"], "/no-public-url/", public=False
        )
        return public, private
    public_root, private_root = local_roots(config)
    return (
        LocalMediaStorage(public_root, config["MEDIA_URL"]),
        LocalMediaStorage(private_root, "/no-public-url/"),
    )
