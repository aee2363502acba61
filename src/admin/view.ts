/** JSON-friendly dates for admin responses. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const tenantJson = (t: { id: string; slug: string; name: string; createdAt: Date; updatedAt: Date }) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  createdAt: iso(t.createdAt)!,
  updatedAt: iso(t.updatedAt)!,
});
