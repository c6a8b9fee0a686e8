/**
 * Redis key names of the service's own data. They share the queue prefix, a Redis Cluster
 * hash tag by default (`{stacksift}`), so one Lua script may touch a report, its case and
 * its signature together. BullMQ's keys live beside them as `<prefix>:triage:*`.
 */
export interface StoreKeys {
  /** Gzipped case files of one upload, kept until the report is finished. */
  case(id: string): string;
  /** Hash of one report's record: status, times, error, gzipped report JSON. */
  report(id: string): string;
  /** Hash of one signature's counters: count, firstSeen, lastSeen. */
  signature(signature: string): string;
  /** List of the newest report ids with one signature, newest first. */
  signatureReports(signature: string): string;
}

/** Key names under `prefix`. */
export function storeKeys(prefix: string): StoreKeys {
  return {
    case: (id) => `${prefix}:case:${id}`,
    report: (id) => `${prefix}:report:${id}`,
    signature: (signature) => `${prefix}:sig:${signature}`,
    signatureReports: (signature) => `${prefix}:sigreports:${signature}`,
  };
}
