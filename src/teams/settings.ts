import { z } from 'zod';

/**
 * Team sync settings, kept in `connections.team_sync` (product.md, "Teams"). Off by default; the
 * strategy and name template are chosen before enabling and may change while on (the next run
 * renames and regroups).
 */
export const teamStrategySchema = z.enum(['manager', 'department']);
export type TeamStrategy = z.infer<typeof teamStrategySchema>;

/** Placeholders a name template may use; anything else in braces is refused when saving. */
export const TEMPLATE_PLACEHOLDERS = ['manager', 'managerFirstName', 'department'] as const;

export const nameTemplateSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!)), {
    message: `placeholders are ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
  });

export const teamSettingsSchema = z.object({ strategy: teamStrategySchema, nameTemplate: nameTemplateSchema }).partial().strict();
export type TeamSettingsInput = z.infer<typeof teamSettingsSchema>;

export interface TeamSyncState {
  enabled: boolean;
  strategy: TeamStrategy;
  /** Absent: the strategy's default. */
  nameTemplate?: string;
  enabledAt?: string;
  enabledBy?: string;
}

export const DEFAULT_TEMPLATES: Record<TeamStrategy, string> = { manager: "{manager}'s team", department: '{department}' };

/** The stored value, read leniently: a missing or malformed column is "off, manager hierarchy". */
export function teamSyncState(raw: unknown): TeamSyncState {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strategy = teamStrategySchema.safeParse(r.strategy);
  return {
    enabled: r.enabled === true,
    strategy: strategy.success ? strategy.data : 'manager',
    ...(typeof r.nameTemplate === 'string' ? { nameTemplate: r.nameTemplate } : {}),
    ...(typeof r.enabledAt === 'string' ? { enabledAt: r.enabledAt } : {}),
    ...(typeof r.enabledBy === 'string' ? { enabledBy: r.enabledBy } : {}),
  };
}

export const templateOf = (state: Pick<TeamSyncState, 'strategy' | 'nameTemplate'>) => state.nameTemplate ?? DEFAULT_TEMPLATES[state.strategy];
