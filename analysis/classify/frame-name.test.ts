import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeRuleName } from './frame-name.js';

const cases: { name: string; raw: string; want: string }[] = [
  { name: 'glibc __GI_ alias', raw: '__GI___poll', want: 'poll' },
  { name: 'glibc __GI_ + __libc_ alias', raw: '__GI___libc_write', want: 'write' },
  { name: 'glibc __libc_ alias', raw: '__libc_recv', want: 'recv' },
  { name: 'three underscores (2.34+)', raw: '___pthread_mutex_lock', want: 'pthread_mutex_lock' },
  { name: 'time64 entry point', raw: '___pthread_cond_timedwait64', want: 'pthread_cond_timedwait' },
  { name: 'time64 internal', raw: '__futex_abstimed_wait_common64', want: 'futex_abstimed_wait_common' },
  { name: 'versioned symbol', raw: 'pthread_cond_wait@@GLIBC_2.3.2', want: 'pthread_cond_wait' },
  { name: 'ppc64 function descriptor', raw: '.__GI___poll', want: 'poll' },
  { name: 'ppc64 descriptor + plain name', raw: '.g_cond_wait_until', want: 'g_cond_wait_until' },
  { name: 'GCC clone', raw: 'g_main_context_iterate.isra', want: 'g_main_context_iterate' },
  { name: 'GCC clones stacked', raw: 'do_futex_wait.constprop.0', want: 'do_futex_wait' },
  { name: 'CPython private name', raw: '_PyEval_EvalFrameDefault', want: 'PyEval_EvalFrameDefault' },
  { name: 'GTK 2 IA__ alias', raw: 'IA__g_closure_invoke', want: 'g_closure_invoke' },
  { name: 'glibc x86_64 ≤ 2.29 lock stub', raw: '_L_lock_854', want: 'L_lock_854' },
  {
    name: 'C++ parameter list',
    raw: 'std::condition_variable::wait(std::unique_lock<std::mutex>&)',
    want: 'std::condition_variable::wait',
  },
  { name: 'C++ const method', raw: 'Foo::size() const', want: 'Foo::size' },
  {
    name: 'C++ template arguments',
    raw: '__wait_until_impl<std::chrono::duration<long, std::ratio<1l, 1000000000l> > >',
    want: 'wait_until_impl',
  },
  {
    name: 'C++ class template with a function type argument',
    raw: 'bmalloc::AsyncTask<bmalloc::Heap, void (bmalloc::Heap::*)()>::entryPoint',
    want: 'bmalloc::AsyncTask::entryPoint',
  },
  { name: 'C++ clone as demangled', raw: 'Worker::run() [clone .constprop.0]', want: 'Worker::run' },
  { name: 'C++ operator() keeps its name', raw: 'operator()', want: 'operator()' },
  { name: 'C++ operator< is not a template', raw: 'std::operator<', want: 'std::operator<' },
  { name: 'Rust generic', raw: 'std::sync::mpmc::Receiver<T>::recv', want: 'std::sync::mpmc::Receiver::recv' },
  {
    name: 'Rust trait impl',
    raw: '<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once',
    want: 'alloc::boxed::Box::call_once',
  },
  { name: 'Rust legacy hash', raw: 'std::thread::sleep::h5b2a3f0c1d2e3f40', want: 'std::thread::sleep' },
  { name: 'Rust closure', raw: 'parking_lot_core::parking_lot::park::{{closure}}', want: 'parking_lot_core::parking_lot::park' },
  {
    name: 'Rust paths keep their inner underscores',
    raw: 'std::__atomic_futex_unsigned_base::_M_futex_wait_until',
    want: 'std::__atomic_futex_unsigned_base::_M_futex_wait_until',
  },
  { name: 'plain user function unchanged', raw: 'reconcile', want: 'reconcile' },
  { name: 'a name ending in 64 with digits elsewhere is kept', raw: 'sha256_block64x', want: 'sha256_block64x' },
];

for (const c of cases) test(c.name, () => assert.equal(normalizeRuleName(c.raw), c.want));
