/**
 * A bounded memo for pure functions of one string. A 10,000-thread dump holds a few hundred
 * distinct function names, each normalized by several rules for every thread; remembering
 * the answer per name turns that into one normalization per name. The cache is cleared when
 * full, so a long-running worker's memory stays bounded whatever it is fed.
 */
export function memoizeByString<T extends NonNullable<unknown>>(fn: (text: string) => T, capacity = 65_536): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const known = cache.get(text);
    if (known !== undefined) return known;
    const value = fn(text);
    if (cache.size >= capacity) cache.clear();
    cache.set(text, value);
    return value;
  };
}

/**
 * One shared string object per distinct text: `__GI___poll` parsed from ten thousand frames
 * becomes one string, whose hash the engine computes once for every later map lookup, and
 * which no longer keeps its whole source line alive. Bounded like the memo above.
 */
export const internString = memoizeByString((text: string) => text);
