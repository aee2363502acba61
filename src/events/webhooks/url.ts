import { z } from 'zod';

/**
 * A webhook URL: http or https, no user or password in it (secrets belong in the signing secret,
 * and URLs are shown in listings and logs), no fragment (never sent).
 */
export const webhookUrl = z
  .string()
  .max(2048)
  .refine((raw) => URL.canParse(raw), 'not a URL')
  .superRefine((raw, ctx) => {
    if (!URL.canParse(raw)) return;
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials (user:password@)' });
    if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a fragment (#…)' });
  });
