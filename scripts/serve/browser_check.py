"""The 电子监察大厅 page of `zhengwu serve` in headless Chromium: the page is opened, an event that
raises an alert is posted by a reporting system, and the alert must appear on the open page, from
the server-sent-event stream and without a reload, within 2 seconds.

Chromium reaches the centre as a supervisor would through a reverse proxy that holds the
supervisor's client certificate: a TLS tunnel (this script) from a loopback port to the centre,
presenting the official's certificate. The page is driven over the DevTools protocol (a minimal
WebSocket client below; no package needed).

Usage: browser_check.py --zhengwu target/debug/zhengwu [--screenshot OUT.png]
Exit 1 with the reason when the page or the alert is missing.
"""

import argparse
import asyncio
import base64
import json
import os
import pathlib
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from centre import context, free_port, get, make_pki, start


def tunnel(local_port: int, remote_port: int, pki: pathlib.Path) -> None:
    """Forwards loopback `local_port` to the centre over TLS with the official's certificate."""
    official = context(pki, "official")

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        remote_reader, remote_writer = await asyncio.open_connection(
            "127.0.0.1", remote_port, ssl=official, server_hostname="localhost")
        await asyncio.gather(pipe(reader, remote_writer), pipe(remote_reader, writer))

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", local_port)
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()


class DevTools:
    """The DevTools protocol over a WebSocket (RFC 6455, client side, text frames)."""

    def __init__(self, url: str) -> None:
        host_port, path = url.removeprefix("ws://").split("/", 1)
        host, port = host_port.split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall(
            f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.socket.recv(4096)
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            sys.exit(f"DevTools refused the WebSocket: {response[:200]!r}")
        self.buffer = response.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.socket.recv(65536)
            if not chunk:
                sys.exit("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _send(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.socket.sendall(header + mask + masked)

    def _receive(self) -> dict:
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            message += self._read(length)
            if first & 0x80:
                return json.loads(message)

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    sys.exit(f"DevTools {method}: {reply['error']}")
                return reply["result"]

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


def post(port: int, pki: pathlib.Path, body: str) -> dict:
    request = urllib.request.Request(f"https://localhost:{port}/v1/events", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/x-ndjson"})
    with urllib.request.urlopen(request, context=context(pki, "scjg"), timeout=30) as response:
        return json.load(response)


def case_events(case: str) -> str:
    """A 即办件 received, accepted and concluded without its licence number: 异常办结, a yellow card."""
    lines = []
    for sequence, (minute, kind) in enumerate(
            [(0, '"type":"received","channel":"window"'), (10, '"type":"accepted"'),
             (20, '"type":"concluded","decision":"granted"')], start=1):
        at = f"2026-11-03T09:{minute:02d}:00+08:00"
        lines.append(
            f'{{"schema":1,"idempotency_key":"{case}#{sequence}","case_id":"{case}","sequence":{sequence},'
            f'"item_code":"530100-SCJG-002","department":"km-scjg","region":"530102","occurred_at":"{at}",'
            f'"recorded_at":"{at}","actor":{{"id":"w0107"}},{kind}}}')
    return "\n".join(lines) + "\n"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium on this machine (Debian: apt-get install chromium)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zhengwu", required=True)
    parser.add_argument("--screenshot", type=pathlib.Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        pki = make_pki(work)
        port = free_port()
        server = start(args.zhengwu, work / "centre.db", pki, port)
        browser = None
        try:
            # One case already there, so the page opens with an alert listed: wait until the
            # centre has evaluated it (it evaluates every half second or so).
            post(port, pki, case_events("BROWSER-1"))
            deadline = time.time() + 30
            while not any(a["case_id"] == "BROWSER-1" for a in get(port, pki, "/v1/alerts")):
                if time.time() > deadline:
                    sys.exit("the first case raised no alert within 30 s")
                time.sleep(0.1)
            local = free_port()
            tunnel(local, port, pki)
            profile = work / "profile"
            browser = subprocess.Popen(
                [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                 "--remote-debugging-port=0", "--window-size=1200,1400", f"http://127.0.0.1:{local}/"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            active = profile / "DevToolsActivePort"
            deadline = time.time() + 60
            while not (active.exists() and active.read_text().strip()):
                if time.time() > deadline:
                    sys.exit("Chromium did not open its DevTools port")
                time.sleep(0.1)
            devtools_port = active.read_text().split()[0]
            page = None
            while page is None and time.time() < deadline:
                with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=10) as response:
                    targets = json.load(response)
                page = next((t for t in targets if t.get("type") == "page" and str(local) in t.get("url", "")), None)
                time.sleep(0.1)
            if page is None:
                sys.exit("Chromium opened no page")
            tools = DevTools(page["webSocketDebuggerUrl"])
            while tools.evaluate("document.getElementById('live') && document.getElementById('live').textContent") != "实时":
                if time.time() > deadline:
                    sys.exit(f"the page did not connect to the stream: {tools.evaluate('document.body && document.body.innerText')}")
                time.sleep(0.1)
            title = tools.evaluate("document.title")
            before = tools.evaluate("document.querySelectorAll('#alerts li').length")
            bars = tools.evaluate("document.querySelectorAll('#ranking-chart rect').length")
            if title != "电子监察大厅" or before < 1 or bars < 1:
                sys.exit(f"the page is not whole: title {title!r}, {before} alerts listed, {bars} ranking bars")
            posted = time.time()
            reply = post(port, pki, case_events("BROWSER-2"))
            if reply.get("accepted") != 3:
                sys.exit(f"the event was not taken: {reply}")
            seen = None
            while time.time() - posted < 2.0:
                if tools.evaluate("!!document.querySelector('#alerts li[data-id^=\"BROWSER-2:\"]')"):
                    seen = time.time() - posted
                    break
                time.sleep(0.05)
            if seen is None:
                sys.exit("the alert of the posted case did not appear on the open page within 2 s")
            text = tools.evaluate("document.querySelector('#alerts li[data-id^=\"BROWSER-2:\"]').textContent")
            if "黄牌" not in text or "BROWSER-2" not in text:
                sys.exit(f"the new alert reads {text!r}")
            if args.screenshot:
                shot = tools.call("Page.captureScreenshot", format="png")
                args.screenshot.write_bytes(base64.b64decode(shot["data"]))
            print(f"browser check: the page listed {before} alert(s) and {bars} ranking bar(s); "
                  f"the posted case's alert appeared {seen:.2f} s after the post, without a reload: {text.strip()}")
        finally:
            if browser:
                browser.kill()
                browser.wait()
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
