/**
 * The name classification rules match on. analysis/frame-names.ts decides what "the same
 * function" means across toolchains (glibc `__GI___poll`/`__libc_recv`/`___pthread_mutex_lock`,
 * `pthread_cond_wait@@GLIBC_2.3.2`, ppc64 `.raise`, GCC clones `g_main_context_iterate.isra`);
 * rules also need the decorations of C++ and Rust removed
 * (`std::condition_variable::wait(std::unique_lock<std::mutex>&)`,
 * `std::sync::mpmc::Receiver<T>::recv`, `std::thread::sleep::h0123456789abcdef`, `park::{{closure}}`,
 * `Foo::run() [clone .constprop.0]`) and every C name reduced to one spelling:
 * `_PyEval_EvalFrameDefault` and `PyEval_EvalFrameDefault`, `___pthread_cond_timedwait64` and
 * `pthread_cond_timedwait`, GTK 2's `IA__g_closure_invoke` and `g_closure_invoke`.
 */

import { memoizeByString } from '../../parsers/string-memo.js';
import { normalizeFunctionName } from '../frame-names.js';

/** `[clone .constprop.0]` as demangled C++ names print GCC clones. */
const CXX_CLONE_OPEN = ' [clone ';
/** `const`/`volatile`/ref qualifiers after a C++ parameter list. */
const CV_QUALIFIERS = [' const', ' volatile', ' &&', ' &'];
/** Rust closure bodies: `parking_lot_core::parking_lot::park::{{closure}}`. */
const RUST_CLOSURE = '::{{closure}}';
/** Rust legacy mangling hash, `::h` + 16 hex digits. */
const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_HASH_LENGTH = '::h'.length + 16;
/** Leading underscores and GTK 2 `IA__` aliases, repeated. */
const C_PREFIX = /^(?:IA__|_)+/;
/** glibc 2.34+ time64 entry points: `pthread_cond_timedwait64`, `new_sem_wait_slow64`, `select64`. */
const TIME64_SUFFIX = /^([a-z_]+)64$/;

/** Removes trailing decorations one at a time; loops instead of repeated-group regexes keep it linear on long names. */
function stripSuffixes(text: string): string {
  let name = text;
  for (;;) {
    const trimmed = name.trimEnd();
    const clone = trimmed.endsWith(']') ? trimmed.lastIndexOf(CXX_CLONE_OPEN) : -1;
    const qualifier = CV_QUALIFIERS.find((q) => trimmed.endsWith(q));
    if (clone > 0) name = trimmed.slice(0, clone);
    else if (qualifier) name = trimmed.slice(0, -qualifier.length);
    else if (trimmed.endsWith(RUST_CLOSURE)) name = trimmed.slice(0, -RUST_CLOSURE.length);
    else if (RUST_HASH.test(trimmed)) name = trimmed.slice(0, -RUST_HASH_LENGTH);
    else return trimmed;
  }
}

/** Index of the `(` matching the `)` that ends `text`, or -1. */
function openingParen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Removes every balanced `<…>` group: C++ template and Rust generic arguments. */
function stripGenerics(text: string): string {
  if (/operator(?:<|>|-)/.test(text)) return text;
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '<') depth++;
    else if (c === '>' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return depth === 0 ? out : text;
}

/** `<T as Trait>::method` and `<T>::method` (Rust qualified paths) become `T::method`. */
function unwrapQualifiedPath(text: string): string {
  if (!text.startsWith('<')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depth++;
    else if (c === '>' && --depth === 0) {
      const inner = text.slice(1, i);
      const as = inner.indexOf(' as ');
      return (as >= 0 ? inner.slice(0, as) : inner) + text.slice(i + 1);
    }
  }
  return text;
}

/** The name rules match on: the shared normalization, then C++/Rust decorations and C spelling variants removed. */
export const normalizeRuleName = memoizeByString(ruleNameOnce);

function ruleNameOnce(raw: string): string {
  let name = stripSuffixes(raw.trim());
  if (name.endsWith(')') && !name.endsWith('operator()')) {
    const open = openingParen(name);
    if (open > 0) name = stripSuffixes(name.slice(0, open));
  }
  name = stripSuffixes(stripGenerics(unwrapQualifiedPath(name)));
  name = normalizeFunctionName(name);
  if (!name.includes('::')) name = name.replace(C_PREFIX, '').replace(TIME64_SUFFIX, '$1');
  return name;
}
