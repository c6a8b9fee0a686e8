"""A healthy, idle service: nothing is wrong, nothing is busy.

MainThread runs an asyncio loop with a loopback TCP server and a housekeeping task that
sleeps 30 s between runs, so the loop waits in epoll_wait. A ThreadPoolExecutor was warmed by
four concurrent blocking jobs (run_in_executor) and now has four idle workers in
work_queue.get(). A threading.Timer ('cache-expiry', 1 h) waits on its Event.
"""

import asyncio
import concurrent.futures
import threading

from scenario_support import enable_faulthandler, ready, record_role

WORKERS = 4


async def handle_client(reader, writer):
    writer.write(await reader.read(1024))
    await writer.drain()
    writer.close()


async def housekeeping():
    while True:
        await asyncio.sleep(30)


def expire_cache():
    pass


def warm_up(barrier):
    record_role("pool-worker")
    barrier.wait()  # all four workers exist before any finishes


async def main():
    record_role("loop")
    loop = asyncio.get_running_loop()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="blocking-io")
    loop.set_default_executor(pool)
    barrier = threading.Barrier(WORKERS)
    await asyncio.gather(*(loop.run_in_executor(None, warm_up, barrier) for _ in range(WORKERS)))
    timer = threading.Timer(3600, expire_cache)
    timer.name = "cache-expiry"
    timer.daemon = True
    timer.start()
    server = await asyncio.start_server(handle_client, "127.0.0.1", 0)
    asyncio.create_task(housekeeping())
    await asyncio.sleep(0.5)
    record_role("timer", timer)
    ready()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    enable_faulthandler()
    asyncio.run(main())
