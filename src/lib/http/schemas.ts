import * as z from 'zod';

/** Path ids are opaque: anything of sane length, looked up within the caller's tenant (unknown → 404). */
export const pathId = z.string().min(1).max(128);

export const tenantPath = z.object({ tenantId: pathId });
