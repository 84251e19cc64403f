"""The real `yaml-language-server` (the npm package VS Code's YAML extension runs), driven
over stdio with the Language Server Protocol, as an editor drives it.

Without node the tests that need it are skipped; with node but without the server, or with
REQUIRE_EDITOR=1 (set by .ci/run), a missing server is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

# .ci/run installs exactly this version (npm install -g yaml-language-server@…)
VERSION = "1.25.0"
WAIT = 30.0  # seconds for one answer: the first one loads the schema from disk


def server_command() -> list[str]:
    """The command that starts the server, or a skip / failure saying what is missing."""
    node = shutil.which("node")
    found = shutil.which("yaml-language-server")
    required = os.environ.get("REQUIRE_EDITOR") == "1"
    if found is not None and node is not None:
        return [found, "--stdio"]
    reason = (
        "node is not installed"
        if node is None
        else f"yaml-language-server is not installed (npm install -g yaml-language-server@{VERSION})"
    )
    if node is None and not required:
        pytest.skip(reason)
    pytest.fail(reason)


class LanguageServer:
    """One server process; `diagnostics(path)` opens a file and returns what it reports."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            server_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "publishDiagnostics": {},
                        "hover": {"contentFormat": ["plaintext"]},
                        "completion": {"completionItem": {"snippetSupport": True}},
                    },
                    "workspace": {"configuration": True},
                },
            },
        )
        self.notify("initialized", {})
        # no schema store from the network: only the file's own modeline
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": _SETTINGS}})

    def close(self) -> None:
        try:
            self.request("shutdown", None, wait=5.0)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except (OSError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                try:
                    line = stream.readline()
                except (OSError, ValueError):  # closed by close()
                    return
                if not line:
                    return
                text = line.decode("ascii").strip()
                if not text:
                    break
                name, _, value = text.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(stream.read(length).decode("utf-8")))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any, *, wait: float = WAIT) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        answer = self._wait(lambda m: m.get("id") == number and "method" not in m, wait)
        return answer.get("result")

    def _wait(self, wanted: Any, wait: float = WAIT) -> dict[str, Any]:
        end = time.monotonic() + wait
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("the language server did not answer")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if "method" in message and "id" in message:  # the server asks the editor
                result = None
                if message["method"] == "workspace/configuration":
                    result = [_SETTINGS for _ in message["params"]["items"]]
                self._send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return message

    def open(self, path: Path, text: str | None = None) -> list[dict[str, Any]]:
        """Open `path` (with `text`, else its contents); the diagnostics it publishes."""
        uri = path.resolve().as_uri()
        content = path.read_text(encoding="utf-8") if text is None else text
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": content}
        self.notify("textDocument/didOpen", {"textDocument": document})
        found = self._wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return list(found["params"]["diagnostics"])

    def hover(self, path: Path, line: int, character: int) -> str:
        result = self.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": path.resolve().as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def completions(self, path: Path, line: int, character: int) -> list[dict[str, Any]]:
        result = self.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": path.resolve().as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        items = result["items"] if isinstance(result, dict) else result
        return list(items or [])


_SETTINGS: dict[str, Any] = {
    "validate": True,
    "hover": True,
    "completion": True,
    "schemaStore": {"enable": False},
    "schemas": {},
}
