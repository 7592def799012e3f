/**
 * The zod subset the functions use, as named imports so the bundler can drop what is unused (the full `z`
 * namespace drags every locale and the JSON-schema tooling into each function: ~800 KiB instead of ~200).
 */
import { array, boolean, number, object, string, enum as zenum } from 'zod';

export type { ZodError, ZodType, output } from 'zod';

export const z = { array, boolean, number, object, string, enum: zenum };
