import path from 'node:path';
import { inject } from 'vitest';

export const stack = inject('stack');
export const stackPorts = inject('stackPorts');
export const stateDir = inject('stateDir');
export const mailDir = path.join(stateDir, 'mail');
export const PASSWORD = 'Correct-Horse-Battery-42';
/** What a password reset sets (identity/every-session-ends.test.ts). */
export const NEW_PASSWORD = 'Another-Horse-Battery-77';

export const uniqueEmail = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}@example.test`;
