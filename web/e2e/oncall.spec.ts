// On call: a school asks for an Arabic mediator from a phone, sharing only the minimum; a mediator
// already on their queue sees the offer arrive live, without a reload, and accepts it; the school
// sees it confirmed, live too. An operator asks the legal advisor a question; the advisor, whose
// queue is live, takes it, answers and publishes it rewritten to the knowledge base; the operator
// reads the answer and finds it in the knowledge base. Each role lands on its own page and never
// sees case pages. A tenant of the spec's own; axe-core and a screenshot on every screen.
import { expect, type Page } from '@playwright/test';
import { test, PHONE, api, checkA11y, newPage, ownTenant, screenshot, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const ISTAT = '047014'; // Pistoia
const ADMIN = { email: 'admin@pistoia-reperibilita.example.org', password: 'Piazza-Duomo-Pistoia-2026' };
const OPERATOR = { email: 'operatrice@pistoia-reperibilita.example.org', password: 'Ospedale-Ceppo-2026' };
const SCHOOL = { email: 'segreteria@ic-dante-pistoia.example.org', password: 'Scuola-Dante-Pistoia-2026' };
const MEDIATOR = { email: 'karima@pistoia-reperibilita.example.org', password: 'Mediazione-Araba-2026' };
const ADVISOR = { email: 'avvocata@pistoia-reperibilita.example.org', password: 'Consulenza-Legale-2026' };

/** A field's label, with or without the mark of a required one. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** A day on the tenant's clock (Europe/Rome) `days` from today, `YYYY-MM-DD`. */
function day(days: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.now() + days * 24 * 3600 * 1000))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

const ACCEPT = 'mutation($t: String!, $p: String!, $n: String) { acceptInvitation(input: {token: $t, password: $p, displayName: $n}) { csrfToken } }';

let seeded: Promise<void> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const { admin } = await ownTenant({
      name: 'Comune di Pistoia (reperibilità, prova)',
      istat: ISTAT,
      desk: 'Sportello Pistoia',
      admin: { ...ADMIN, displayName: 'Admin Pistoia' },
      operator: { ...OPERATOR, displayName: 'Operatrice Pistoia' },
    });
    const member = async (who: { email: string; password: string }, role: string, name: string) => {
      const token = (await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: who.email, roles: [role] } })).inviteUser.token;
      const client = await api();
      await client(ACCEPT, { t: token, p: who.password, n: name });
      return client;
    };
    const school = await member(SCHOOL, 'EXTERNAL_REQUESTER', 'Segreteria IC Dante');
    await member(MEDIATOR, 'MEDIATOR', 'Karima El Idrissi');
    await member(ADVISOR, 'LEGAL_ADVISOR', 'Avv. Giulia Neri');
    const org = (
      await admin('mutation($i: CreateRequesterOrganisationInput!) { createRequesterOrganisation(input: $i) { id } }', {
        i: { name: 'Istituto Comprensivo Dante', kind: 'SCHOOL', address: 'Via Dante 10, Pistoia', territoryCode: ISTAT },
      })
    ).createRequesterOrganisation.id;
    const userId = (await school('{ viewer { user { id } } }')).viewer.user.id;
    await admin('mutation($o: ID!, $u: ID!) { addRequester(organisationId: $o, userId: $u) { id } }', { o: org, u: userId });
  })());

/** The main navigation's link texts. */
const navLinks = (page: Page) => page.locator('#main-nav a').allTextContents();

test('a school asks for an Arabic mediator from a phone; the mediator sees the offer arrive live and accepts; the school sees it confirmed', async ({ browser }) => {
  await ready();

  // The mediator lands on their queue; without a profile they are asked to fill it in.
  const mediator = await newPage(browser);
  const m = mediator.page;
  await signIn(m, MEDIATOR);
  await expect(m).toHaveURL(/\/le-mie-richieste$/);
  expect(await navLinks(m)).not.toContain('Prese in carico');
  await m.goto('/casi');
  await expect(m).toHaveURL(/\/le-mie-richieste$/);
  await m.getByRole('link', { name: 'Modifica il profilo' }).click();
  await expect(m.getByRole('heading', { level: 1 })).toHaveText('Il mio profilo di mediatore');
  await m.getByRole('combobox', { name: 'Lingue' }).fill('arab');
  await m.getByRole('option', { name: 'arabo (ar)' }).click();
  await m.getByLabel('Dialetti e varianti').fill('darija');
  await checkA11y(m, 'mediator-profile');
  await screenshot(m, 'oncall-mediator-profile');
  await m.getByRole('button', { name: 'Salva il profilo' }).click();
  await expect(m.getByTestId('profile-saved')).toBeVisible();
  await m.getByRole('link', { name: 'Torna alle mie richieste' }).click();
  await expect(m.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(m.getByText('Nessuna richiesta in attesa.')).toBeVisible();
  await checkA11y(m, 'mediator-queue-empty');
  await screenshot(m, 'oncall-mediator-queue-empty');

  // The school, on a phone: its page, no case pages.
  const school = await newPage(browser, PHONE);
  const s = school.page;
  await signIn(s, SCHOOL);
  await expect(s).toHaveURL(/\/mediazione$/);
  await expect(s.getByTestId('my-organisation')).toContainText('Istituto Comprensivo Dante');
  await s.goto('/casi/qualunque');
  await expect(s).toHaveURL(/\/mediazione$/);
  await s.getByRole('button', { name: 'Richiedi un mediatore' }).click();
  const form = s.locator('form').filter({ has: s.getByRole('button', { name: 'Invia la richiesta' }) });
  // Sent empty: every required field named at once, nothing sent.
  await s.getByRole('button', { name: 'Invia la richiesta' }).click();
  for (const field of ['Luogo', 'Indirizzo', 'Giorno', 'Dalle', 'Entro le', 'Motivo']) {
    await expect(form.getByLabel(label(field))).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(form.getByRole('combobox', { name: 'Lingua' })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Condividi solo il minimo necessario', { exact: false })).toBeVisible();
  await form.getByRole('combobox', { name: 'Lingua' }).fill('arab');
  await s.getByRole('option', { name: 'arabo (ar)' }).click();
  await form.getByLabel('Dialetto o variante').fill('darija');
  await form.getByLabel(label('Luogo')).fill('Scuola primaria Dante, aula 3B');
  await form.getByLabel(label('Indirizzo')).fill('Via Dante 10, Pistoia');
  // A day already gone: the server names the field, shown under it.
  await form.getByLabel(label('Giorno')).fill(day(-2));
  await form.getByLabel(label('Dalle')).selectOption('10:00');
  await form.getByLabel(label('Entro le')).selectOption('12:00');
  await form.getByLabel(label('Motivo')).selectOption({ label: 'Accoglienza e iscrizione' });
  await form.locator('label').getByText('Urgente', { exact: true }).click();
  await form.getByLabel('Cosa condividere con il mediatore').fill('Alunno di 8 anni, classe 3B');
  await s.getByRole('button', { name: 'Invia la richiesta' }).click();
  await expect(form.getByLabel(label('Dalle'))).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel(label('Luogo'))).not.toHaveAttribute('aria-invalid', 'true');
  await checkA11y(s, 'mediation-request-form-errors');
  await screenshot(s, 'oncall-request-form-phone');
  await form.getByLabel(label('Giorno')).fill(day(1));
  await s.getByRole('button', { name: 'Invia la richiesta' }).click();
  const request = s.getByTestId('mediation-request').first();
  await expect(request).toHaveAttribute('data-status', 'OPEN');
  await expect(request.getByTestId('mediation-status')).toHaveText('In attesa di un mediatore');
  await expect(s.getByTestId('live-notice')).toContainText('proposta a 1 mediatore');
  // The page is no wider than the phone.
  expect(await s.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await checkA11y(s, 'mediation-requests-phone');
  await screenshot(s, 'oncall-requests-open-phone');

  // The mediator's queue: the offer arrived without a reload, announced politely.
  const offer = m.getByTestId('offers').getByTestId('queue-request');
  await expect(offer).toHaveCount(1);
  await expect(offer).toContainText('Scuola primaria Dante, aula 3B');
  await expect(offer).toContainText('Alunno di 8 anni, classe 3B');
  await expect(m.getByTestId('live-notice')).toContainText('Nuova richiesta');
  await expect(m.getByTestId('live-notice')).toHaveAttribute('aria-live', 'polite');
  await checkA11y(m, 'mediator-queue-offer');
  await screenshot(m, 'oncall-mediator-offer');
  await offer.getByRole('button', { name: 'Accetta' }).click();
  const held = m.getByTestId('held').getByTestId('queue-request');
  await expect(held).toHaveCount(1);
  await expect(held.getByTestId('mediation-status')).toHaveText('Confermata');
  await expect(m.getByTestId('offers').getByTestId('queue-request')).toHaveCount(0);
  await checkA11y(m, 'mediator-queue-held');

  // The school sees it confirmed, live: a mediator assigned and the activation time.
  await expect(request.getByTestId('mediation-status')).toHaveText('Confermata');
  await expect(request.getByTestId('request-state')).toContainText('Mediatore assegnato');
  await expect(request.getByTestId('activation')).toContainText('Mediatore confermato in');
  await expect(s.getByTestId('live-notice')).toContainText('Confermata');
  await checkA11y(s, 'mediation-confirmed-phone');
  await screenshot(s, 'oncall-request-confirmed-phone');

  // The mediator reports; the school closes the request after the report.
  await held.getByRole('button', { name: 'Invia il resoconto' }).click();
  await held.getByLabel(label('Minuti di mediazione')).fill('55');
  await held.getByLabel(label('Esito')).fill('Colloquio di accoglienza svolto, iscrizione completata.');
  await held.getByRole('button', { name: 'Invia il resoconto' }).click();
  await expect(held.getByTestId('mediation-status')).toHaveText('Svolta');
  await expect(request.getByTestId('mediation-status')).toHaveText('Svolta');
  await request.getByRole('button', { name: 'Chiudi la richiesta' }).click();
  await s.getByRole('dialog').getByTestId('confirm-yes').click();
  await expect(request.getByTestId('mediation-status')).toHaveText('Chiusa');
  await expect(request.getByTestId('request-report')).toContainText('iscrizione completata');

  await mediator.context.close();
  await school.context.close();
});

test('an operator asks the legal advisor a question and gets the answer; the advisor publishes it to the knowledge base', async ({ browser }) => {
  await ready();
  const advisor = await newPage(browser);
  const a = advisor.page;
  await signIn(a, ADVISOR);
  await expect(a).toHaveURL(/\/consulenze$/);
  expect(await navLinks(a)).not.toContain('Prese in carico');
  await expect(a.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await checkA11y(a, 'advisor-queue-empty');

  const operator = await newPage(browser);
  const o = operator.page;
  await signIn(o, OPERATOR);
  await o.getByRole('link', { name: 'Consulenza legale' }).first().click();
  await expect(o).toHaveURL(/\/consulenza-legale$/);
  const ask = o.locator('form').filter({ has: o.getByRole('button', { name: 'Invia la domanda' }) });
  await ask.getByLabel(label('Materia')).selectOption({ label: 'Cittadinanza' });
  await ask.getByLabel(label('Domanda')).fill('Una persona residente da dieci anni con un periodo di irregolarità può chiedere la cittadinanza per residenza?');
  await checkA11y(o, 'legal-ask');
  await o.getByRole('button', { name: 'Invia la domanda' }).click();
  const mine = o.getByTestId('consultation').first();
  await expect(mine.getByTestId('consultation-status')).toHaveText('In attesa');

  // The advisor's queue: the question arrived live.
  const waiting = a.getByTestId('advisor-open').getByTestId('advisor-consultation');
  await expect(waiting).toHaveCount(1);
  await expect(a.getByTestId('live-notice')).toContainText('Nuova domanda: Cittadinanza');
  await checkA11y(a, 'advisor-queue-question');
  await screenshot(a, 'oncall-advisor-question');
  await waiting.getByRole('button', { name: 'Prendi in carico' }).click();
  const taken = a.getByTestId('advisor-mine').getByTestId('advisor-consultation');
  await expect(taken.getByTestId('consultation-status')).toHaveText('Presa in carico');
  await taken.getByRole('textbox', { name: label('Risposta') }).fill('Sì, se la residenza legale è continuativa per dieci anni: i periodi di irregolarità interrompono il computo (art. 9 L. 91/1992).');
  await taken.getByRole('button', { name: 'Invia la risposta' }).click();
  await expect(taken.getByTestId('consultation-status')).toHaveText('Risposta data');
  await taken.getByRole('button', { name: 'Pubblica nella banca dati' }).click();
  await taken.getByLabel(label('Domanda riscritta')).fill('La residenza con periodi di irregolarità vale per la cittadinanza?');
  await taken.getByLabel(label('Risposta riscritta')).fill('Conta solo la residenza legale continuativa di dieci anni: i periodi di irregolarità interrompono il computo.');
  await checkA11y(a, 'advisor-publish');
  await taken.getByRole('button', { name: 'Pubblica', exact: true }).click();
  await expect(taken.getByTestId('published')).toBeVisible();
  await screenshot(a, 'oncall-advisor-answered');

  // The operator reads the answer (live) and finds the rewritten one in the knowledge base.
  await expect(mine.getByTestId('consultation-status')).toHaveText('Risposta data');
  await expect(mine.getByTestId('legal-thread')).toContainText('i periodi di irregolarità interrompono il computo (art. 9 L. 91/1992)');
  await expect(o.getByTestId('live-notice')).toContainText('Nuova risposta');
  await o.getByRole('searchbox', { name: 'Parole da cercare' }).fill('irregolarità');
  await o.getByRole('button', { name: 'Cerca' }).click();
  await expect(o.getByTestId('knowledge-entry')).toHaveCount(1);
  await expect(o.getByTestId('knowledge-entry')).toContainText('residenza legale continuativa');
  await checkA11y(o, 'legal-answered');
  await screenshot(o, 'oncall-legal-answered');

  await advisor.context.close();
  await operator.context.close();
});

test('an administrator sees the requesting organisations, sets the targets and reads the times against them', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Reperibilità' }).first().click();
  await expect(page).toHaveURL(/\/configurazione\/reperibilita$/);
  const school = page.getByTestId('organisation').filter({ hasText: 'Istituto Comprensivo Dante' });
  await expect(school).toContainText('Scuola');
  await expect(school).toContainText('1 account');
  const urgent = page.getByLabel(label('Mediatore confermato, richieste urgenti (minuti)'));
  await expect(urgent).toHaveValue('240');
  await urgent.fill('120');
  await page.getByRole('button', { name: 'Salva gli obiettivi' }).click();
  await expect(page.getByText('Obiettivi salvati.')).toBeVisible();
  await expect(page.getByTestId('oncall-figures')).toContainText('Mediatore confermato, urgenti');
  await checkA11y(page, 'oncall-admin');
  await screenshot(page, 'oncall-admin');
  await context.close();
});
