import threading, time, sys, traceback, faulthandler
a = threading.Lock(); b = threading.Lock()
def t1():
    with a:
        time.sleep(0.2)
        with b:
            pass
def t2():
    with b:
        time.sleep(0.2)
        with a:
            pass
x = threading.Thread(target=t1, name="Thread-1 (t1)"); y = threading.Thread(target=t2, name="Thread-2 (t2)")
x.start(); y.start()
def sep(ch, title, width=80):
    fill = (width - len(title) - 2) // 2
    line = ch*fill + " " + title + " " + ch*fill
    if len(line) + 1 <= width: line += ch
    sys.stdout.write(line + "\n")
def dump_stacks():
    current_ident = threading.current_thread().ident
    for thread_ident, frame in sys._current_frames().items():
        if thread_ident == current_ident: continue
        for t in threading.enumerate():
            if t.ident == thread_ident:
                thread_name = t.name; break
        else: thread_name = "<unknown>"
        sep("~", "Stack of {} ({})".format(thread_name, thread_ident))
        sys.stdout.write("".join(traceback.format_stack(frame)))
def timeout_timer():
    sys.stdout.write("\n"); sep("+", "Timeout"); dump_stacks(); sep("+", "Timeout"); sys.stdout.flush()
    import os; os._exit(1)
tm = threading.Timer(1.0, timeout_timer); tm.start()
x.join()
