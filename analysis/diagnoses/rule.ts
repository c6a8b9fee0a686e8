/** The shape every diagnosis rule has. */
import type { Diagnosis } from '../../report/schema.js';
import type { DiagnosisContext } from '../model.js';

/** A pure rule: one diagnosis per problem it finds (two deadlocked processes give two), none when it does not fire. */
export type DiagnosisRule = (ctx: DiagnosisContext) => Diagnosis[];
