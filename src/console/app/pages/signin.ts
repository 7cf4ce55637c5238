/** Sign-in with an API key: the key is checked with GET /v1/me and kept for this tab only. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, session } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';
import type { Me } from '../lib/types.ts';
import { TextField } from '../ui/form.ts';
import { LanguageSelect } from '../ui/layout.ts';

export function SignInPage(p: { onSignedIn: (me: Me) => void; notice?: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => document.getElementById('f-apiKey')?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (key.trim() === '') return setError(t('signin.keyRequired'));
    setBusy(true);
    setError(undefined);
    try {
      const me = await request<Me>('GET', '/v1/me', undefined, key.trim());
      session.set(key.trim());
      p.onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('signin.bad') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return html`<div class="signin-page">
    <div class="signin-lang"><${LanguageSelect} /></div>
    <main id="main" class="signin">
      <h1><span class="logo" aria-hidden="true">券</span> ${t('signin.title')}</h1>
      <p class="muted">${t('signin.lead')}</p>
      ${p.notice ? html`<p class="notice info" role="status">${p.notice}</p>` : null}
      <form onSubmit=${submit} novalidate>
        <${TextField} path="apiKey" label=${t('signin.key')} type="password" value=${key} onInput=${setKey} error=${error} hint=${t('signin.hint')} autoFocus required autoComplete="off" />
        <button type="submit" class="primary" disabled=${busy}>${busy ? t('common.working') : t('signin.submit')}</button>
      </form>
    </main>
  </div>`;
}
