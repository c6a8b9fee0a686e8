"""An asyncio event loop starved by a coroutine that never yields.

The loop runs a loopback TCP server, a 'heartbeat' task (asyncio.sleep(0.1) loop) and a
request handler, export_report(), that makes a blocking call inside the coroutine:
  mode 'sleep': time.sleep(600) (a synchronous client call in disguise);
  mode 'cpu':   a pure-Python checksum loop that runs for minutes.
A watchdog thread ('loop-watchdog', the usual production helper) notices that the heartbeat
stopped for more than a second and writes every thread's stack with sys._current_frames() +
traceback.format_stack to traceback-dump.txt, then prints READY.
"""

import asyncio
import os
import sys
import threading
import time

from scenario_support import OUT, dump_stacks, enable_faulthandler, ready, record_role

BLOCK_SECONDS = 600
last_beat = time.monotonic()


def checksum(deadline):
    total = 0
    i = 0
    while time.monotonic() < deadline:
        for j in range(1000):
            total = (total * 31 + i * j) % 1_000_000_007
        i += 1
    return total


async def export_report(mode):
    await asyncio.sleep(0.5)
    if mode == "sleep":
        time.sleep(BLOCK_SECONDS)  # blocks the event loop thread
    else:
        checksum(time.monotonic() + BLOCK_SECONDS)  # CPU loop in the event loop thread


async def heartbeat():
    global last_beat
    while True:
        last_beat = time.monotonic()
        await asyncio.sleep(0.1)


async def handle_client(reader, writer):
    data = await reader.read(1024)
    writer.write(data)
    await writer.drain()
    writer.close()


def watchdog():
    record_role("watchdog")
    dumped = False
    while True:
        time.sleep(0.2)
        if not dumped and time.monotonic() - last_beat > 1.0:
            dump_stacks(os.path.join(OUT, "traceback-dump.txt"), header="--- Thread {ident} ({name}) ---")
            print("event loop stalled: stacks written to traceback-dump.txt", file=sys.stderr, flush=True)
            dumped = True
            ready()


async def main(mode):
    record_role("loop")
    server = await asyncio.start_server(handle_client, "127.0.0.1", 0)
    asyncio.create_task(heartbeat())
    threading.Thread(target=watchdog, name="loop-watchdog", daemon=True).start()
    async with server:
        await export_report(mode)


if __name__ == "__main__":
    enable_faulthandler()
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "sleep"))
