// Helpers of the config schema, shared by src/config.ts and the modules' config sections.
import { Type } from 'typebox';

/** An integer variable with its default, bounds and description. */
export const Int = (def: number, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description });
