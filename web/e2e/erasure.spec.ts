// Erasure of a person: a coordinator erases from the case page (ground chosen, confirmation
// typed), after which the case no longer exists; the administrator's dialog refuses a wrong
// confirmation on its field and tells an unknown id apart from nothing else.
import { expect } from '@playwright/test';
import { ADMIN, OPERATOR, api, newPage, signIn, test } from './helpers';

const COORDINATOR = { email: 'referente@demo.sportello.it', password: 'Valdelsa-Colline-2026' };

test('a coordinator erases a person from the case page; the administrator’s dialog checks its input', async ({ browser }) => {
  // A coordinator of the demo tenant, and a person with a case.
  const admin = await api(ADMIN);
  const invited = await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
    i: { email: COORDINATOR.email, roles: ['COORDINATOR'] },
  });
  const coordinator = await api();
  await coordinator('mutation($t: String!, $p: String!) { acceptInvitation(input: {token: $t, password: $p, displayName: "Referente"}) { csrfToken } }', {
    t: invited.inviteUser.token,
    p: COORDINATOR.password,
  });
  const operator = await api(OPERATOR);
  const territory = (await operator('{ territories(first: 1) { nodes { istatCode } } }')).territories.nodes[0].istatCode;
  const person = (
    await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
      i: { givenNames: 'Samira', familyNames: 'Ouazzani', territoryCode: territory },
    })
  ).createPerson.id;
  await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: person });
  const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: person })).openCase.id;

  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.goto(`/casi/${caseId}`);
  const section = page.getByTestId('erase-section');
  await expect(section.getByTestId('erase-person-id')).toHaveText(person);
  await section.getByRole('button', { name: 'Cancella la persona' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Cancellare definitivamente la persona?')).toBeVisible();
  const confirm = dialog.getByLabel('Per confermare scrivi CANCELLA');
  // The word not typed: refused on the confirmation, nothing sent.
  await dialog.getByLabel('Motivo (art. 17, par. 1, GDPR)').selectOption('OBJECTION');
  await confirm.fill('cancel');
  await dialog.getByRole('button', { name: 'Cancella definitivamente' }).click();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await confirm.fill('CANCELLA');
  await dialog.getByRole('button', { name: 'Cancella definitivamente' }).click();
  await expect(page).toHaveURL(/\/casi$/);
  await expect(page.getByTestId('erase-done')).toContainText('La persona è stata cancellata');
  // Gone: the case page finds nothing, and the API neither.
  await page.goto(`/casi/${caseId}`);
  await expect(page.getByText('Presa in carico non trovata')).toBeVisible();
  await expect(operator('query($id: ID!) { node(id: $id) { id } }', { id: person })).rejects.toThrow(/NOT_FOUND/);
  await context.close();

  // The administrator erases by id: the same id again is not found.
  const second = await newPage(browser);
  await signIn(second.page, ADMIN);
  await second.page.goto('/configurazione');
  const setting = second.page.getByTestId('erasure-setting');
  await setting.getByRole('button', { name: 'Cancella la persona' }).click();
  const adminDialog = second.page.getByRole('dialog');
  await adminDialog.getByLabel('Identificativo della persona').fill(person);
  await adminDialog.getByLabel('Motivo (art. 17, par. 1, GDPR)').selectOption('CONSENT_WITHDRAWN');
  await adminDialog.getByLabel('Per confermare scrivi CANCELLA').fill('CANCELLA');
  await adminDialog.getByRole('button', { name: 'Cancella definitivamente' }).click();
  await expect(adminDialog.getByRole('alert')).toContainText('Nessuna persona con questo identificativo');
  await expect(setting.getByTestId('erase-done')).toHaveCount(0);
  // A malformed id is refused next to the id field.
  await adminDialog.getByLabel('Identificativo della persona').fill('abc');
  await adminDialog.getByLabel('Per confermare scrivi CANCELLA').fill('CANCELLA');
  await adminDialog.getByRole('button', { name: 'Cancella definitivamente' }).click();
  await expect(adminDialog.getByLabel('Identificativo della persona')).toHaveAttribute('aria-invalid', 'true');
  await second.context.close();
});
