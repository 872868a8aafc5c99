"""External file uploads, end to end through slack_sdk's files_upload_v2."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackSandbox

BINARY = b"%PDF-1.7\r\n\x00\x01\xff binary\r\n--not-a-boundary\r\n"


def test_files_upload_v2_round_trip(sandbox: SlackSandbox, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="D0PROD001",
        content=BINARY,
        filename="evidence.pdf",
        title="Access review",
        initial_comment="Here is the evidence",
    )
    assert answer["file"]["title"] == "Access review"
    assert answer["file"]["size"] == len(BINARY)
    [upload] = sandbox.uploads()
    assert upload["file_id"] == answer["file"]["id"]
    assert upload["content"] == BINARY
    assert (upload["filename"], upload["title"]) == ("evidence.pdf", "Access review")
    assert (upload["channel_id"], upload["initial_comment"]) == (
        "D0PROD001",
        "Here is the evidence",
    )
    assert [c.method for c in sandbox.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_several_files_from_disk_to_a_user(
    sandbox: SlackSandbox, client: WebClient, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    report.write_text("question,answer\nQ1,yes\n")
    client.files_upload_v2(
        channel="U0PROD002",
        file_uploads=[
            {"file": str(report), "title": "Report"},
            {"content": "plain text", "filename": "notes.txt"},
        ],
    )
    uploads = sandbox.uploads()
    assert [(u["filename"], u["title"], u["channel_id"]) for u in uploads] == [
        ("report.csv", "Report", "D0PROD002"),
        ("notes.txt", "notes.txt", "D0PROD002"),
    ]
    assert uploads[0]["content"] == b"question,answer\nQ1,yes\n"


def test_upload_url_also_accepts_multipart(sandbox: SlackSandbox, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="a.bin", length=len(BINARY))
    boundary = "sandbox-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + BINARY
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        ticket["upload_url"],
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == f"OK - {len(BINARY)}".encode()
    client.files_completeUploadExternal(files=[{"id": ticket["file_id"], "title": "A"}])
    [upload] = sandbox.uploads()
    assert upload["content"] == BINARY and upload["channel_id"] is None


def test_completing_an_unuploaded_file_fails(sandbox: SlackSandbox, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="a.txt", length=3)
    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}])
    assert excinfo.value.response["error"] == "file_not_found"
    assert sandbox.uploads() == []
    [call] = sandbox.calls_to("files.completeUploadExternal")
    assert call.params["files"] == json.loads(json.dumps([{"id": ticket["file_id"]}]))
