import { z } from 'zod';
import { mappingSchema } from '../mapping/mapping.js';
import { PREVIEW_MAX } from '../connections/mapping.js';

/** A connection's attribute mapping as the admin API shows it (README, "Attribute mapping"). */
export const mappingDocument = mappingSchema.meta({ id: 'AttributeMapping' });

export const storedMappingView = z
  .object({
    /** 0: nothing saved, the connector's default is in force. */
    version: z.number().int(),
    isDefault: z.boolean(),
    mapping: mappingDocument,
    savedAt: z.string().nullable(),
    savedBy: z.string().nullable(),
  })
  .meta({ id: 'StoredMapping' });

export const mappingAnswer = storedMappingView.extend({
  /** The connector's default, to start from or go back to. */
  default: mappingDocument,
});

export const mappingSaveAnswer = storedMappingView.extend({
  /** False when the mapping was the one in force already: no new version, the next run need not be full. */
  changed: z.boolean(),
});

export const mappingVersionList = z.object({ items: z.array(storedMappingView) });

export const mappingPreviewRequest = z
  .object({
    /** The mapping to try; the one in force when absent. */
    mapping: mappingSchema.optional(),
    /** How many people to read from the HR system (default 10). */
    sample: z.number().int().min(1).max(PREVIEW_MAX).optional(),
  })
  .strict();

export const mappingPreviewAnswer = z.object({
  /** The version previewed, or null for a mapping given in the request. */
  version: z.number().int().nullable(),
  people: z.array(
    z.object({
      remoteId: z.string(),
      displayName: z.string(),
      workEmail: z.string().nullable(),
      values: z.record(z.string(), z.unknown()),
      errors: z.array(z.object({ attribute: z.string(), message: z.string() })),
    }),
  ),
});
