// Platform administrator: the installation's tenants and the creation of a new one.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { CreateTenantMutation, TenantsQuery } from '../api/operations';
import { FormErrors, SelectField, SubmitButton, TextField } from '../components/Form';
import { EmptyState, LoadError, Loading } from '../components/States';
import { InvitationIssued } from '../components/InvitationIssued';
import { useLoad, useSubmit } from '../hooks';
import { formatDate } from '../i18n';
import type { TenantKind } from '../gql/graphql';

const KINDS: TenantKind[] = ['CONSORTIUM', 'DISTRICT', 'MUNICIPALITY'];

export default function Tenants() {
  const { t } = useTranslation();
  const list = useLoad(() => request(TenantsQuery, {}), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TenantKind>('MUNICIPALITY');
  const [adminEmail, setAdminEmail] = useState('');
  const [issued, setIssued] = useState<{ token: string; email: string } | null>(null);
  const form = useSubmit(['name', 'kind', 'adminEmail']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(() => request(CreateTenantMutation, { input: { name: name.trim(), kind, adminEmail: adminEmail.trim() } }));
    if (done) {
      setIssued({ token: done.createTenant.adminInvitation.token, email: done.createTenant.adminInvitation.invitation.email });
      setName('');
      setAdminEmail('');
      list.reload();
    }
  };

  const tenants = list.data?.tenants.nodes ?? [];
  return (
    <>
      <h1 className="h2">{t('tenants.title')}</h1>
      <p className="lead">{t('tenants.intro')}</p>
      <div className="row g-4">
        <section className="col-12 col-lg-6" aria-labelledby="tenant-list">
          <h2 id="tenant-list" className="h4">
            {t('tenants.list')}
          </h2>
          {list.loading && !list.data && <Loading />}
          {list.error && <LoadError error={list.error} />}
          {list.data && tenants.length === 0 && <EmptyState title={t('tenants.empty')}>{t('tenants.emptyHelp')}</EmptyState>}
          <ul className="list-unstyled item-list">
            {tenants.map((x) => (
              <li key={x.id}>
                <strong>
                  <bdi>{x.name}</bdi>
                </strong>{' '}
                · {t(`enum.TenantKind.${x.kind}`)} · {formatDate(x.createdAt)}
              </li>
            ))}
          </ul>
        </section>
        <section className="col-12 col-lg-6" aria-labelledby="tenant-new">
          <h2 id="tenant-new" className="h4">
            {t('tenants.create')}
          </h2>
          <form onSubmit={submit} noValidate>
            <TextField label={t('tenants.name')} value={name} onChange={setName} error={form.fieldError('name')} required />
            <SelectField
              label={t('tenants.kind')}
              value={kind}
              onChange={(v) => setKind(v as TenantKind)}
              options={KINDS.map((k) => ({ value: k, label: t(`enum.TenantKind.${k}`) }))}
              error={form.fieldError('kind')}
            />
            <TextField
              label={t('tenants.adminEmail')}
              type="email"
              value={adminEmail}
              onChange={setAdminEmail}
              error={form.fieldError('adminEmail')}
              hint={t('tenants.adminEmailHint')}
              required
            />
            <FormErrors errors={form.general} />
            <SubmitButton busy={form.busy}>{t('tenants.submit')}</SubmitButton>
          </form>
          {issued && <InvitationIssued token={issued.token} email={issued.email} />}
        </section>
      </div>
    </>
  );
}
