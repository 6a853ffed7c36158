"""Copy media kept in local folders into the configured (S3) storage, once per file."""

from __future__ import annotations

from dataclasses import dataclass

from shop.media import LocalMediaStorage, MediaStorage


@dataclass(frozen=True)
class CopyCount:
    """What `copy_media` did: files copied, and files the target already had."""

    copied: int
    already_there: int


def copy_media(source: LocalMediaStorage, target: MediaStorage) -> CopyCount:
    """Copy every file of source that target lacks; safe to run again (names are content hashes)."""
    copied = already_there = 0
    for name in source.names():
        if target.exists(name):
            already_there += 1
            continue
        data = source.read(name)
        if data is None:  # deleted while we ran
            continue
        target.save(name, data)
        copied += 1
    return CopyCount(copied, already_there)
