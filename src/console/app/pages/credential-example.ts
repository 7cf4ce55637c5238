/**
 * A signed example request for a partner credential, made by the server (GET
 * /v1/credentials/{id}/example). Until a server offers it, the dialect's endpoint and how it
 * signs are described instead, with the credential's public fields.
 */
import { html } from 'htm/preact';
import { api, ApiError } from '../lib/api.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import type { Credential, SignedExample } from '../lib/types.ts';
import { CopyButton, ErrorNotice, Loading } from '../ui/bits.ts';

const ENDPOINTS: Record<string, string> = {
  op: 'POST /op/v2/getMergeTicketUsersByChatId?client=…&apiVersion=…&version=…&timestamp=…&nonce=…&sign=…',
  crm: 'POST /openapi/v1/listCpnItemByMember',
  zv: 'POST /v3/crm/coupon/getCustomerCoupons',
  wechat: 'WeChat card API (sync)',
};

async function loadExample(id: string): Promise<SignedExample | null> {
  try {
    return await api.get<SignedExample>(`/v1/credentials/${id}/example`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export function ExampleRequest(p: { credential: Credential }) {
  const c = p.credential;
  const example = useLoad(() => loadExample(c.id), [c.id]);
  if (example.loading) return html`<${Loading} />`;
  if (example.error) return html`<${ErrorNotice} error=${example.error} />`;
  if (example.data) {
    const x = example.data;
    return html`<div class="example" data-example=${c.id}>
      <p><strong>${x.method} ${x.url}</strong></p>
      <pre><code>${x.curl}</code></pre>
      <${CopyButton} text=${x.curl} label=${t('cred.copyCurl')} />
    </div>`;
  }
  return html`<div class="example pending" data-example=${c.id}>
    <p>${t('cred.exampleLater')}</p>
    <p><code>${ENDPOINTS[c.kind] ?? ''}</code></p>
    <p class="muted small">${t(`cred.signing.${c.kind}` as MessageKey)}</p>
  </div>`;
}
