import threading, queue, sys, os
stop = threading.Event(); q = queue.Queue()
def worker():
    while not stop.is_set():
        try: item = q.get(timeout=1.0)
        except queue.Empty: continue
for i in range(4): threading.Thread(target=worker, name=f"worker-{i}", daemon=True).start()
open(sys.argv[1], "w").write(str(os.getpid()))
while not stop.wait(5.0):
    pass
