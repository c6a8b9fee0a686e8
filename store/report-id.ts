/**
 * Report ids: `r_` and 22 base64url characters (128 random bits). They are the only
 * secret protecting a report, so they must be unguessable; BullMQ also forbids `:` in job
 * ids and integers, which this alphabet never produces.
 */
import { randomBytes } from 'node:crypto';

/** The shape every report id has; used to validate ids in URLs before touching Redis. */
export const REPORT_ID_PATTERN = /^r_[A-Za-z0-9_-]{22,64}$/;

/** A fresh, unguessable report id. */
export function newReportId(): string {
  return `r_${randomBytes(16).toString('base64url')}`;
}

/** True when `value` has the shape of a report id. */
export function isReportId(value: string): boolean {
  return REPORT_ID_PATTERN.test(value);
}
