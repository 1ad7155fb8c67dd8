import {
  addDomain,
  deleteSso,
  getSso,
  listDomains,
  putSso,
  removeDomain,
  type SsoConfig,
  type SsoInput,
  type TenantDomain,
  verifyDomain,
} from '../api/sso';
import { ROLES } from '../api/types';
import type { Page } from '../router';
import { navigate } from '../router';
import { dateTime, field, form, formText, h, input, messages, select, uniqueId } from '../ui/dom';
import { pagedTable } from '../ui/table';

/** A new member from the organization's provider joins with one of these; owners are only ever made by hand. */
const DEFAULT_ROLES = ROLES.filter((r) => r !== 'owner');

/**
 * The owner's enterprise SSO settings for the active tenant: the
 * organization's identity provider (OIDC or SAML), and the email domains it
 * signs in for, each proven with a DNS TXT record. The API enforces who may;
 * the page is only linked for owners.
 */
export const ssoPage: Page = {
  title: 'Single sign-on',
  access: 'owner',
  render: async ({ me }) => {
    const tenantId = me?.tenantId ?? '';
    const [config, domains] = await Promise.all([getSso(tenantId), domainsSection(tenantId)]);
    return h(
      'div',
      {},
      h(
        'p',
        {},
        'Let the people of your organization sign in with their company account: connect your identity provider, then verify the email domains it signs in for. New people from a verified domain join with the default role.',
      ),
      providerSection(tenantId, config),
      domains,
    );
  },
};

const fact = (term: string, value: string): Node[] => [h('dt', {}, term), h('dd', {}, value)];

const currentConfig = (tenantId: string, config: SsoConfig): HTMLElement => {
  const feedback = messages();
  const remove = h('button', { type: 'button', class: 'danger' }, 'Remove the identity provider');
  remove.addEventListener('click', () => {
    if (!window.confirm('Remove the identity provider? Its people can no longer sign in with their company account.')) return;
    remove.disabled = true;
    feedback.info('Removing…');
    deleteSso(tenantId)
      .then(() => navigate('/sso', { replace: true }))
      .catch((err: unknown) => {
        remove.disabled = false;
        feedback.error(err);
      });
  });
  return h(
    'div',
    { class: 'summary' },
    h('h3', {}, 'Current configuration'),
    h(
      'dl',
      { class: 'facts', 'data-testid': 'sso-config' },
      ...fact('Type', config.type === 'oidc' ? 'OpenID Connect' : 'SAML'),
      ...fact('Provider name', config.providerName),
      ...(config.type === 'oidc'
        ? [...fact('Issuer', config.issuer), ...fact('Client ID', config.clientId)]
        : fact('Metadata', config.metadataUrl ?? 'given as XML')),
      ...fact('Default role', config.defaultRole),
      ...fact('Company sign-in required', config.enforce ? 'Yes' : 'No'),
      ...fact('Last changed', dateTime(config.updatedAt)),
    ),
    h('div', { class: 'row' }, remove, ...feedback.nodes),
  );
};

/** A labelled multi-line field; `field` takes single-line controls. */
const textArea = (label: string, name: string, hint: string): HTMLDivElement => {
  const id = uniqueId('field');
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('textarea', { id, name, rows: 6, spellcheck: 'false', 'aria-describedby': `${id}-hint` }),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
  );
};

const providerSection = (tenantId: string, config: SsoConfig | undefined): HTMLElement => {
  const type = config?.type ?? 'oidc';
  const oidcNow = config?.type === 'oidc' ? config : undefined;
  const samlNow = config?.type === 'saml' ? config : undefined;
  const radio = (value: 'oidc' | 'saml', label: string) => {
    const id = uniqueId('type');
    return h(
      'div',
      { class: 'choice' },
      h('input', { type: 'radio', id, name: 'type', value, checked: value === type }),
      h('label', { for: id }, label),
    );
  };
  const oidc = h(
    'fieldset',
    { class: 'group' },
    h('legend', {}, 'OpenID Connect'),
    field(
      'Issuer URL',
      input({ name: 'issuer', type: 'url', required: true, value: oidcNow?.issuer ?? '', spellcheck: 'false' }),
      'Its discovery document must be at /.well-known/openid-configuration under this URL.',
    ),
    field(
      'Client ID',
      input({ name: 'clientId', required: true, autocomplete: 'off', spellcheck: 'false', value: oidcNow?.clientId ?? '' }),
    ),
    field(
      'Client secret',
      input({ name: 'clientSecret', type: 'password', required: true, autocomplete: 'new-password' }),
      oidcNow
        ? 'Kept by the sign-in service and never shown again: enter it again to save a change.'
        : 'Kept by the sign-in service and never shown again.',
    ),
  );
  const saml = h(
    'fieldset',
    { class: 'group' },
    h('legend', {}, 'SAML'),
    field(
      'Metadata URL',
      input({ name: 'metadataUrl', type: 'url', value: samlNow?.metadataUrl ?? '', spellcheck: 'false' }),
      'Where your identity provider publishes its SAML metadata.',
    ),
    textArea('Metadata XML', 'metadataXml', 'Or paste the metadata document instead of giving its URL.'),
  );
  // The fieldset of the other type is disabled: its fields are neither checked nor sent.
  const show = (which: string) => {
    oidc.hidden = oidc.disabled = which !== 'oidc';
    saml.hidden = saml.disabled = which !== 'saml';
  };
  show(type);
  const types = h(
    'fieldset',
    { class: 'group' },
    h('legend', {}, 'Type of identity provider'),
    radio('oidc', 'OpenID Connect'),
    radio('saml', 'SAML'),
  );
  types.addEventListener('change', (event) => show((event.target as HTMLInputElement).value));
  const enforce = h('input', {
    type: 'checkbox',
    role: 'switch',
    name: 'enforce',
    id: uniqueId('enforce'),
    checked: config?.enforce ?? false,
  });
  const enforceHint = h(
    'p',
    { class: 'hint', id: `${enforce.id}-hint` },
    'When on, people of your verified domains can only sign in with their company account: no password sign-in or sign-up.',
  );
  enforce.setAttribute('aria-describedby', enforceHint.id);

  const feedback = messages();
  const providerForm = form(
    { label: 'Identity provider settings' },
    [
      types,
      oidc,
      saml,
      field(
        'Default role',
        select(DEFAULT_ROLES, config?.defaultRole ?? 'member', { name: 'defaultRole' }),
        'What new people from your organization join as.',
      ),
      h(
        'div',
        { class: 'field switch' },
        h('div', { class: 'row' }, enforce, h('label', { for: enforce.id }, 'Require company sign-in')),
        enforceHint,
      ),
    ],
    config ? 'Save the identity provider' : 'Connect the identity provider',
    async (data) => {
      const common = { defaultRole: formText(data, 'defaultRole') as SsoInput['defaultRole'], enforce: enforce.checked };
      let body: SsoInput;
      if (formText(data, 'type') === 'saml') {
        const metadataUrl = formText(data, 'metadataUrl');
        const metadataXml = formText(data, 'metadataXml');
        if (!metadataUrl === !metadataXml) throw new Error('Give either the metadata URL or the metadata XML (one of them).');
        body = { type: 'saml', ...common, ...(metadataUrl ? { metadataUrl } : { metadataXml }) };
      } else {
        body = {
          type: 'oidc',
          ...common,
          issuer: formText(data, 'issuer'),
          clientId: formText(data, 'clientId'),
          clientSecret: String(data.get('clientSecret') ?? ''),
        };
      }
      feedback.info('Checking your identity provider…');
      const saved = await putSso(tenantId, body);
      current.replaceChildren(currentConfig(tenantId, saved));
      const submit = providerForm.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (submit) submit.textContent = 'Save the identity provider';
      // The secret is not kept in the page once it is saved.
      const secret = providerForm.querySelector<HTMLInputElement>('input[name="clientSecret"]');
      if (secret) secret.value = '';
      feedback.info(`Saved: ${saved.type === 'oidc' ? 'OpenID Connect' : 'SAML'} provider ${saved.providerName}.`);
    },
    feedback,
  );
  const current = h('div', {}, config ? currentConfig(tenantId, config) : h('p', {}, 'No identity provider is connected yet.'));
  return h(
    'section',
    { 'aria-labelledby': 'provider-heading' },
    h('h2', { id: 'provider-heading' }, 'Identity provider'),
    current,
    providerForm,
  );
};

/** A copy button for a value shown beside it; where the clipboard is unavailable, the value is selected instead. */
const copyButton = (what: string, value: string, target: HTMLElement, feedback: ReturnType<typeof messages>): HTMLButtonElement => {
  const button = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Copy the ${what}` }, 'Copy');
  button.addEventListener('click', () => {
    const select = () => {
      const range = document.createRange();
      range.selectNodeContents(target);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      feedback.info(`The ${what} is selected: press Ctrl+C (⌘C) to copy it.`);
    };
    if (!navigator.clipboard) return select();
    navigator.clipboard.writeText(value).then(() => feedback.info(`Copied the ${what}.`), select);
  });
  return button;
};

const txtRecord = (d: TenantDomain): HTMLElement => {
  const feedback = messages();
  const name = h('code', { class: 'secret', 'data-testid': 'txt-name' }, d.txtRecord.name);
  const value = h('code', { class: 'secret', 'data-testid': 'txt-value' }, d.txtRecord.value);
  return h(
    'dl',
    { class: 'facts txt' },
    h('dt', {}, 'Name'),
    h('dd', { class: 'row' }, name, copyButton(`record name for ${d.domain}`, d.txtRecord.name, name, feedback)),
    h('dt', {}, 'Value'),
    h('dd', { class: 'row' }, value, copyButton(`record value for ${d.domain}`, d.txtRecord.value, value, feedback)),
    h('dd', {}, ...feedback.nodes),
  );
};

/** Status and actions of one domain share its live region: a verify updates the row in place. */
const domainRow = (tenantId: string, d: TenantDomain, reload: () => Promise<void>) => {
  const feedback = messages();
  const status = h('span', { 'data-testid': 'domain-status' }, d.status);
  const verify = h('button', { type: 'button', 'aria-label': `Verify ${d.domain}` }, 'Verify');
  verify.hidden = d.status === 'verified';
  verify.addEventListener('click', () => {
    verify.disabled = true;
    feedback.info(`Looking for the TXT record of ${d.domain}…`);
    verifyDomain(tenantId, d.domain)
      .then((verified) => {
        status.textContent = verified.status;
        verify.hidden = verified.status === 'verified';
        feedback.info(verified.status === 'verified' ? `${d.domain} is verified.` : `${d.domain} is ${verified.status}.`);
      })
      // 409: the record is not there yet (or another organization verified the domain); the API's detail says which.
      .catch((err: unknown) => feedback.error(err))
      .finally(() => {
        verify.disabled = false;
      });
  });
  const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${d.domain}` }, 'Remove');
  remove.addEventListener('click', () => {
    if (!window.confirm(`Remove ${d.domain}? Its people can no longer sign in with their company account.`)) return;
    remove.disabled = true;
    removeDomain(tenantId, d.domain)
      .then(reload)
      .catch((err: unknown) => {
        remove.disabled = false;
        feedback.error(err);
      });
  });
  return { status, actions: h('div', {}, h('div', { class: 'row' }, verify, remove), ...feedback.nodes) };
};

const domainsSection = async (tenantId: string): Promise<HTMLElement> => {
  const section = h('section', { 'aria-labelledby': 'domains-heading' });
  const feedback = messages();
  const tableSlot = h('div', {});
  const reload = async () => {
    const rows = new Map<string, ReturnType<typeof domainRow>>();
    const row = (d: TenantDomain) => {
      const r = rows.get(d.domain) ?? domainRow(tenantId, d, reload);
      rows.set(d.domain, r);
      return r;
    };
    tableSlot.replaceChildren(
      await pagedTable<TenantDomain>(
        'Email domains of the active tenant',
        [
          { header: 'Domain', cell: (d) => d.domain },
          { header: 'Status', cell: (d) => row(d).status },
          {
            header: 'TXT record to create',
            cell: (d) => (d.status === 'verified' ? `verified ${dateTime(d.verifiedAt ?? d.createdAt)}` : txtRecord(d)),
          },
          { header: 'Actions', cell: (d) => row(d).actions },
        ],
        (cursor) => listDomains(tenantId, cursor),
        'No domains yet.',
      ),
    );
  };
  const add = form(
    { label: 'Add a domain' },
    [
      field(
        'Domain',
        input({ name: 'domain', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'example.com' }),
        'The part of your people’s email addresses after the @.',
      ),
    ],
    'Add domain',
    async (data, element) => {
      const added = await addDomain(tenantId, formText(data, 'domain').toLowerCase());
      element.reset();
      await reload();
      feedback.info(`Added ${added.domain}. Create its TXT record in your DNS, then verify it below.`);
    },
    feedback,
  );
  await reload();
  section.append(
    h('h2', { id: 'domains-heading' }, 'Email domains'),
    h(
      'p',
      {},
      'Prove each domain is yours with a DNS TXT record: create the record with the name and value shown, wait for it to be published, then verify. A domain can be verified by one organization only.',
    ),
    add,
    tableSlot,
  );
  return section;
};
