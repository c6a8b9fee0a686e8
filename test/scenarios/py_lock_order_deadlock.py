"""Lock-order deadlock between two Python threads.

'transfer' takes accounts_lock then ledger_lock; 'audit' takes ledger_lock then accounts_lock.
A barrier makes each hold its first lock before asking for the second, so the deadlock is
certain. MainThread then joins 'transfer' and waits forever too. Nothing uses CPU.
"""

import threading

from scenario_support import enable_faulthandler, kernel_wait_channel, ready, record_role, wait_until

accounts_lock = threading.Lock()
ledger_lock = threading.Lock()
both_hold_their_first_lock = threading.Barrier(2)


def apply_transfer():
    record_role("transfer")
    with accounts_lock:
        both_hold_their_first_lock.wait()
        with ledger_lock:  # held by 'audit' for good
            pass


def reconcile():
    record_role("audit")
    with ledger_lock:
        both_hold_their_first_lock.wait()
        with accounts_lock:  # held by 'transfer' for good
            pass


def main():
    enable_faulthandler()
    record_role("main")
    transfer = threading.Thread(target=apply_transfer, name="transfer")
    audit = threading.Thread(target=reconcile, name="audit")
    transfer.start()
    audit.start()
    # READY once both sit in the kernel on their second lock (a futex wait).
    wait_until(lambda: all("futex" in kernel_wait_channel(t.native_id) for t in (transfer, audit)))
    ready()
    transfer.join()


if __name__ == "__main__":
    main()
