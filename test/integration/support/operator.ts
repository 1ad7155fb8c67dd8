import { operatorCaller } from '../../../src/lib/auth/caller';

/** The operator, as the tenants CLI acts: in-process use cases under an actor id of its own. */
export const operator = operatorCaller('operator:test');
