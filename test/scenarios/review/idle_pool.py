import threading, queue, socket, sys, os
q = queue.Queue()
def worker():
    while True:
        item = q.get()
        q.task_done()
for i in range(4): threading.Thread(target=worker, daemon=True, name=f"worker-{i}").start()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(os.getpid()))
s.settimeout(60)
try: s.accept()
except Exception: pass
