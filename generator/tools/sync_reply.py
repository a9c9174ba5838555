"""The answers of `quizgen serve`'s small API (tools/sync.py): a reply, JSON and errors, and the two
answers that are no sync (the local authority's certificate, a pairing QR code)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Reply:
    status: HTTPStatus
    body: bytes
    content_type: str = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()


def json_reply(status: HTTPStatus, value: Any, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(status, json.dumps(value, separators=(",", ":")).encode("utf-8"), JSON_TYPE, headers)


def error(status: HTTPStatus, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return json_reply(status, {"error": message}, headers)


def ca_reply(path: Path | None) -> Reply:
    if path is None:
        return error(HTTPStatus.NOT_FOUND, "this server runs without quizgen's local authority (serve --https)")
    try:
        return Reply(HTTPStatus.OK, path.read_bytes(), "application/x-x509-ca-cert",
                     (("Content-Disposition", 'attachment; filename="quizgen-local-ca.pem"'),))
    except OSError:
        return error(HTTPStatus.NOT_FOUND, "the local authority's certificate is gone")


def qr_reply(text: str) -> Reply:
    if not text or len(text) > 1000:
        return error(HTTPStatus.BAD_REQUEST, "text is 1 to 1000 characters")
    try:
        # segno: only when a sync QR code is drawn
        import segno
    except ImportError:
        return error(HTTPStatus.NOT_FOUND, "QR codes need the serve extra: pip install -e '.[serve]' in the quizgen folder")
    out = io.BytesIO()
    # dark on light with a quiet zone of 4 modules, as cameras read best
    segno.make(text, error="m").save(out, kind="svg", scale=6, border=4, dark="#000", light="#fff", xmldecl=False)
    return Reply(HTTPStatus.OK, out.getvalue(), "image/svg+xml")
