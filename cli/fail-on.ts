/**
 * `--fail-on`: which diagnoses make a command exit 1. A comma-separated list of diagnosis
 * codes and severities, where a severity means "that severity or worse":
 * `--fail-on deadlock,gil_contention`, `--fail-on critical`, `--fail-on warning,crash`.
 */
import { DIAGNOSIS_CODES, type Diagnosis, type DiagnosisCode, SEVERITIES, type Severity } from '../report/schema.js';

/** A parsed `--fail-on` value. */
export interface FailOn {
  codes: ReadonlySet<DiagnosisCode>;
  /** The mildest severity that fails, or null when only codes were named. */
  severity: Severity | null;
}

/** Parses a `--fail-on` value, or explains in one line what is wrong with it. */
export function parseFailOn(value: string): FailOn | { error: string } {
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) return { error: `--fail-on needs diagnosis codes or a severity (${SEVERITIES.slice(0, 2).join(', ')})` };
  const codes = new Set<DiagnosisCode>();
  let severity: Severity | null = null;
  for (const word of words) {
    if ((SEVERITIES as readonly string[]).includes(word)) {
      const s = word as Severity;
      // Several severities: the mildest one named wins, since it includes the worse ones.
      if (severity === null || SEVERITIES.indexOf(s) > SEVERITIES.indexOf(severity)) severity = s;
    } else if ((DIAGNOSIS_CODES as readonly string[]).includes(word)) {
      codes.add(word as DiagnosisCode);
    } else {
      return {
        error: `--fail-on: unknown diagnosis code or severity '${word}' (codes: ${DIAGNOSIS_CODES.join(', ')}; severities: ${SEVERITIES.join(', ')})`,
      };
    }
  }
  return { codes, severity };
}

/** The diagnoses that `failOn` names, by code or by severity; empty means "exit 0". */
export function failingDiagnoses(
  diagnoses: readonly Pick<Diagnosis, 'code' | 'severity'>[],
  failOn: FailOn,
): Pick<Diagnosis, 'code' | 'severity'>[] {
  const threshold = failOn.severity === null ? -1 : SEVERITIES.indexOf(failOn.severity);
  return diagnoses.filter((d) => failOn.codes.has(d.code) || SEVERITIES.indexOf(d.severity) <= threshold);
}
