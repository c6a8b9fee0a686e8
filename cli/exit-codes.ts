/** Exit codes of every stacksift command (CONTRACT.md §1; 3 is submit's service/network failure). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  service: 3,
} as const;
