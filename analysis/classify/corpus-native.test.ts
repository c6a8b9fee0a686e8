/**
 * The native cases of the shared corpus (../shared/corpus): c-mutex-deadlock and the abrt/satyr
 * crash backtraces. Function names and the arguments rules read are hand-extracted from each
 * case's gdb file, innermost first; states are checked against the case's expect.json byLwp.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame, type RawFrame } from '../../parsers/model.js';
import { corpusCases, hasCorpus } from '../../test/support/corpus.js';
import { frames, makeThread } from '../../test/support/threads.js';
import { classifyThread } from './classify-thread.js';

/** Names only: C++ names hold spaces and parentheses. `<signal handler called>` is the trampoline. */
const named = (...names: string[]): RawFrame[] =>
  names.map((n) =>
    n === '<signal handler called>' ? nativeFrame(null, { isSignalTrampoline: true }) : nativeFrame(n === '??' ? null : n),
  );

const GLIB_ENTRY = ['g_thread_proxy', 'start_thread', 'clone'];
const WEBKIT_LOOP = named(
  'poll',
  'g_main_context_poll',
  'g_main_context_iterate',
  'g_main_loop_run',
  'operator()',
  'WTF::threadEntryPoint',
  'WTF::wtfThreadEntryPoint',
  'start_thread',
  'clone',
);
const NSPR_EVENT_WAIT = named(
  'pthread_cond_wait@@GLIBC_2.3.2',
  'PR_WaitCondVar',
  'PR_Wait',
  'Wait',
  'nsEventQueue::GetEvent',
  'GetEvent',
  'nsThread::ProcessNextEvent',
  'NS_ProcessNextEvent_P',
  'nsThread::ThreadFunc',
  '_pt_root',
  'start_thread',
  'clone',
);

/** LWP → frames; `crashing` lists the thread the core's crash record names. */
const CASES: Record<string, { threads: Record<number, RawFrame[]>; crashing: number }> = {
  'c-mutex-deadlock': {
    crashing: -1,
    threads: {
      406: frames(
        'futex_wait private=0, expected=2, futex_word=0x5558c0ece100 <accounts_mutex>',
        '__GI___lll_lock_wait',
        'lll_mutex_lock_optimized',
        '___pthread_mutex_lock',
        'reconcile batch=7',
        'audit_worker',
        'start_thread',
        'clone3',
      ),
      405: frames(
        'futex_wait private=0, expected=2, futex_word=0x5558c0ece140 <ledger_mutex>',
        '__GI___lll_lock_wait',
        'lll_mutex_lock_optimized',
        '___pthread_mutex_lock',
        'apply_transfer',
        'transfer_worker',
        'start_thread',
        'clone3',
      ),
      404: frames(
        '__GI___clock_nanosleep clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7faece3d2ec0, rem=0x0',
        '__GI___nanosleep',
        'stats_worker',
        'start_thread',
        'clone3',
      ),
      402: frames(
        '__futex_abstimed_wait_common64 private=128, cancel=true, abstime=0x0, op=265, expected=405, futex_word=0x7faecdbd2990',
        '__futex_abstimed_wait_common',
        '__GI___futex_abstimed_wait_cancelable64',
        '__pthread_clockjoin_ex threadid=140388752762560, thread_return=0x0, clockid=0, abstime=0x0, block=<optimized out>',
        'main',
      ),
    },
  },
  'public-satyr-no-crash-frame-found': {
    crashing: 11113,
    threads: {
      11191: named(
        'pthread_cond_wait@@GLIBC_2.3.2',
        'PR_WaitCondVar',
        'js::SourceCompressorThread::compressorThread(void*)',
        'js::SourceCompressorThread::compressorThread(void*)',
        '_pt_root',
        'start_thread',
        'clone',
      ),
      11189: named(
        'poll',
        'poll_func',
        'poll_func',
        'pa_mainloop_poll',
        'pa_mainloop_iterate',
        'pa_mainloop_run',
        'thread',
        'internal_thread_func',
        'start_thread',
        'clone',
      ),
      16668: named(
        'syscall',
        'g_cond_wait_until',
        'g_async_queue_pop_intern_unlocked',
        'g_async_queue_timeout_pop_unlocked',
        'g_thread_pool_thread_proxy',
        'g_thread_pool_thread_proxy',
        ...GLIB_ENTRY,
      ),
      11190: named(
        'pthread_cond_wait@@GLIBC_2.3.2',
        'PR_WaitCondVar',
        'js::GCHelperThread::threadLoop()',
        '_pt_root',
        'start_thread',
        'clone',
      ),
      11188: named(
        'poll',
        'g_main_context_iterate',
        'g_main_context_iterate',
        'g_main_context_iteration',
        'dconf_gdbus_worker_thread',
        ...GLIB_ENTRY,
      ),
      11181: named(
        'poll',
        'g_main_context_iterate',
        'g_main_context_iterate',
        'g_main_loop_run',
        'gdbus_shared_thread_func',
        ...GLIB_ENTRY,
      ),
      11129: named(
        'poll',
        'g_main_context_iterate',
        'g_main_context_iterate',
        'g_main_context_iteration',
        'glib_worker_main',
        ...GLIB_ENTRY,
      ),
      11113: named(
        'process_event',
        'process_event',
        'meta_keybindings_process_event',
        'event_callback',
        '_clutter_event_process_filters',
        '_clutter_process_event',
        'clutter_clock_dispatch',
        'g_main_context_dispatch',
        'g_main_context_iterate',
        'g_main_loop_run',
        'meta_run',
        'main',
      ),
    },
  },
  'public-satyr-rhbz-1032472': {
    crashing: 5445,
    threads: {
      10039: named(
        'pthread_cond_timedwait@@GLIBC_2.3.2',
        '__gthread_cond_timedwait',
        '__wait_until_impl<std::chrono::duration<long, std::ratio<1l, 1000000000l> > >',
        'wait_until<std::chrono::duration<long, std::ratio<1l, 1000000000l> > >',
        'wait_for<std::unique_lock<bmalloc::Mutex>, long int, std::ratio<1l>, bmalloc::AsyncTask<Object, Function>::entryPoint() [with Object = bmalloc::Heap; Function = void (bmalloc::Heap::*)()]::<lambda()> >',
        'bmalloc::AsyncTask<bmalloc::Heap, void (bmalloc::Heap::*)()>::entryPoint',
        'bmalloc::AsyncTask<bmalloc::Heap, void (bmalloc::Heap::*)()>::pthreadEntryPoint',
        'start_thread',
        'clone',
      ),
      ...Object.fromEntries([6074, 5471, 9625, 6289, 6267, 5474, 5473, 5472, 5470, 5452, 5450, 5449].map((lwp) => [lwp, WEBKIT_LOOP])),
      10035: named(
        'syscall',
        'g_cond_wait_until',
        'g_async_queue_pop_intern_unlocked',
        'g_async_queue_timeout_pop',
        'g_thread_pool_wait_for_new_pool',
        'g_thread_pool_thread_proxy',
        ...GLIB_ENTRY,
      ),
      5459: named(
        'poll',
        'g_main_context_poll',
        'g_main_context_iterate',
        'g_main_context_iteration',
        'dconf_gdbus_worker_thread',
        ...GLIB_ENTRY,
      ),
      5457: named(
        'syscall',
        'g_cond_wait',
        'g_async_queue_pop_intern_unlocked',
        'g_async_queue_pop',
        'run_history_service_thread',
        ...GLIB_ENTRY,
      ),
      5522: named('poll', 'g_main_context_poll', 'g_main_context_iterate', 'g_main_context_iteration', 'glib_worker_main', ...GLIB_ENTRY),
      5451: named(
        'pthread_cond_wait@@GLIBC_2.3.2',
        'WebCore::IconDatabase::syncThreadMainLoop',
        'WebCore::IconDatabase::iconDatabaseSyncThread',
        'operator()',
        'WTF::threadEntryPoint',
        'start_thread',
        'clone',
      ),
      5448: named('poll', 'g_main_context_poll', 'g_main_context_iterate', 'g_main_loop_run', 'gdbus_shared_thread_func', ...GLIB_ENTRY),
      5445: named(
        'g_str_hash',
        'ephy_location_entry_set_location',
        'match_selected_cb',
        '_gtk_marshal_BOOLEAN__OBJECT_BOXED',
        'g_closure_invoke',
        'signal_emit_unlocked_R',
      ),
    },
  },
  'public-satyr-rhbz-1119072': {
    crashing: 2271,
    threads: {
      2375: named(
        '.pthread_cond_timedwait',
        '.g_cond_wait_until',
        '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0',
        '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0',
        '.start_thread',
        '.__clone',
      ),
      2360: named(
        '.__GI___poll',
        '.g_poll',
        '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0',
        '.g_main_loop_run',
        '0000090f.plt_call.g_io_channel_flush+0',
        '.start_thread',
        '.__clone',
      ),
      2325: named(
        '.__GI___poll',
        '.g_poll',
        '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0',
        '.g_main_context_iteration',
        '00000010.plt_call.g_hash_table_size+0',
        '.start_thread',
        '.__clone',
      ),
      2374: named(
        '.__GI___poll',
        '.g_poll',
        '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0',
        '.g_main_context_iteration',
        '.start_thread',
        '.__clone',
      ),
      2271: named(
        '.raise',
        '.g_logv',
        '.g_log',
        '000002cd.plt_call.XmbTextExtents+0',
        '._XError',
        '._XEventsQueued',
        '.XPending',
        '.g_main_context_prepare',
        '.g_main_loop_run',
        '.gtk_main',
        '.main',
      ),
    },
  },
  'public-satyr-rhbz-1239318': {
    crashing: 2845,
    threads: {
      2942: named(
        'syscall',
        'g_cond_wait',
        'g_async_queue_pop_intern_unlocked',
        'g_async_queue_pop',
        'run_history_service_thread',
        ...GLIB_ENTRY,
      ),
      2948: named('poll', 'g_main_context_iterate.isra', 'g_main_loop_run', 'gdbus_shared_thread_func', ...GLIB_ENTRY),
      2947: named('poll', 'g_main_context_iterate.isra', 'g_main_context_iteration', 'dconf_gdbus_worker_thread', ...GLIB_ENTRY),
      2924: named(
        'poll',
        'g_main_context_iterate.isra',
        'g_main_loop_run',
        'WTF::threadEntryPoint(void*)',
        'WTF::wtfThreadEntryPoint(void*)',
        'start_thread',
        'clone',
      ),
      2923: named(
        'poll',
        'g_main_context_iterate.isra',
        'g_main_loop_run',
        'WTF::threadEntryPoint(void*)',
        'WTF::wtfThreadEntryPoint(void*)',
        'start_thread',
        'clone',
      ),
      2845: named(
        '_dbus_list_foreach',
        'dbus_message_unref',
        'dbus_connection_dispatch',
        'avahi_address_resolver_new',
        'g_poll',
        '0x0000000000000002',
        'g_main_context_iterate.isra',
        'g_main_context_iteration',
        'g_application_run',
        'main',
      ),
    },
  },
  'public-satyr-rhbz-621492': {
    crashing: 19947,
    threads: {
      19965: named(
        '__poll',
        'poll_func',
        'pa_mainloop_poll',
        'pa_mainloop_iterate',
        'pa_mainloop_run',
        'thread',
        'internal_thread_func',
        'start_thread',
        'clone',
      ),
      19961: named('pthread_cond_wait@@GLIBC_2.3.2', 'PR_WaitCondVar', 'nsSSLThread::Run', '_pt_root', 'start_thread', 'clone'),
      19951: named(
        'pthread_cond_timedwait@@GLIBC_2.3.2',
        'pt_TimedWait',
        'PR_WaitCondVar',
        'TimerThread::Run',
        'nsThread::ProcessNextEvent',
        'NS_ProcessNextEvent_P',
        'nsThread::ThreadFunc',
        '_pt_root',
      ),
      19950: named(
        'pthread_cond_timedwait@@GLIBC_2.3.2',
        'pt_TimedWait',
        'PR_WaitCondVar',
        'XPCJSRuntime::WatchdogMain',
        '_pt_root',
        'start_thread',
        'clone',
      ),
      21889: named(
        'pthread_cond_timedwait@@GLIBC_2.3.2',
        'pt_TimedWait',
        'PR_WaitCondVar',
        'nsHostResolver::GetHostToLookup',
        'nsHostResolver::ThreadFunc',
        '_pt_root',
      ),
      19963: NSPR_EVENT_WAIT,
      19962: named(
        'pthread_cond_wait@@GLIBC_2.3.2',
        'PR_WaitCondVar',
        'nsCertVerificationThread::Run',
        '_pt_root',
        'start_thread',
        'clone',
      ),
      19955: NSPR_EVENT_WAIT,
      19949: named('pthread_cond_wait@@GLIBC_2.3.2', 'PR_WaitCondVar', 'JSBackgroundThread::work', '_pt_root', 'start_thread', 'clone'),
      19948: named(
        '__poll',
        '_pr_poll_with_poll',
        'nsSocketTransportService::Poll',
        'nsSocketTransportService::DoPollIteration',
        'nsSocketTransportService::OnProcessNextEvent',
        'nsThread::ProcessNextEvent',
      ),
      19947: named(
        'raise',
        'nsProfileLock::FatalSignalHandler',
        '<signal handler called>',
        'nsTreeBodyFrame::PrefillPropertyArray',
        'nsTreeBodyFrame::PaintColumn',
        'nsViewManager::Refresh',
      ),
    },
  },
  'public-satyr-rhbz-803600': {
    crashing: 3575,
    threads: {
      3618: named(
        'write',
        'virNetSocketWriteWire',
        'virNetSocketWrite',
        'virNetClientIOWriteMessage',
        'virNetClientIOHandleOutput',
        'virNetClientIOEventLoop',
        'virNetClientIO',
        'virNetClientSend',
        'virNetClientProgramCall',
        'call',
        'remoteStoragePoolNumOfVolumes',
        'virStoragePoolNumOfVolumes',
        'libvirt_virStoragePoolListVolumes',
        'call_function',
        'PyEval_EvalFrameEx',
      ),
      3575: named(
        'validate_row',
        'validate_visible_area',
        'gtk_tree_view_bin_expose',
        'gtk_tree_view_expose',
        '_gtk_marshal_BOOLEAN__BOXED',
        'IA__g_closure_invoke',
      ),
    },
  },
  'public-satyr-rhbz-955617': {
    crashing: 1073,
    threads: {
      1073: named(
        '__kernel_vsyscall',
        '__GI_raise',
        '__GI_abort',
        'OsAbort',
        'ddxGiveUp',
        'AbortDDX',
        'AbortServer',
        'FatalError',
        'OsSigHandler',
        '<signal handler called>',
        'xf86CursorSetCursor',
        'xf86CursorEnableDisableFBAccess',
        '??',
      ),
    },
  },
};

const expectations = new Map(corpusCases().map((c) => [c.name, c.expect.threads?.byLwp ?? {}]));
const skip = hasCorpus() ? false : 'the shared corpus is not beside the repository';

for (const [name, { threads, crashing }] of Object.entries(CASES)) {
  const byLwp = () => expectations.get(name) ?? {};
  test(`${name}: every thread expect.json names is extracted here`, { skip }, () => {
    assert.deepEqual(Object.keys(threads).sort(), Object.keys(byLwp()).sort());
  });
  for (const withCrashRecord of [true, false]) {
    test(`${name}: gdb stacks give the expected states${withCrashRecord ? '' : ' (without the crash record)'}`, { skip }, () => {
      for (const [lwp, fs] of Object.entries(threads)) {
        const v = classifyThread(makeThread({ lwp: Number(lwp), frames: fs, isCrashing: withCrashRecord && Number(lwp) === crashing }));
        const ok = [byLwp()[lwp] ?? []].flat();
        assert.ok(
          ok.includes(v.state),
          `LWP ${lwp}: ${v.state} (${v.classification.rule}: ${v.classification.why}) not in ${ok.join('|')}`,
        );
      }
    });
  }
}

test('c-mutex-deadlock: ps wait channels agree with the stacks', { skip }, () => {
  const ps: Record<string, string> = { 402: 'futex_do_wait', 404: 'hrtimer_nanosleep', 405: 'futex_do_wait', 406: 'futex_do_wait' };
  const byLwp = expectations.get('c-mutex-deadlock') ?? {};
  for (const [lwp, wchan] of Object.entries(ps)) {
    assert.ok([byLwp[lwp] ?? []].flat().includes(classifyThread(makeThread({ osState: 'Sl', wchan })).state), `LWP ${lwp}`);
  }
});

test('public-satyr-no-crash-frame-found: GLib pool and main-loop threads are idle, the NSPR waits are not', { skip }, () => {
  const idle = Object.entries(CASES['public-satyr-no-crash-frame-found']?.threads ?? {})
    .filter(([, fs]) => classifyThread(makeThread({ frames: fs })).idle)
    .map(([lwp]) => Number(lwp))
    .sort();
  assert.deepEqual(idle, [11129, 11181, 11188, 11189, 16668]);
});
