// Erasure of a person (GDPR art. 17): a ground from the closed list of art. 17(1) and a typed
// confirmation, in a dialog. Coordinators reach it from the person's case; the tenant
// administrator, who sees no case data, from the configuration page with the id a coordinator
// gives them. The server checks everything again (roles, ground, confirmation).
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { request } from '../api/client';
import { ErasePersonMutation } from '../api/operations';
import { useSubmit } from '../hooks';
import { FormErrors, SelectField, SubmitButton, TextField } from './Form';

/** The grounds of GDPR art. 17(1), (a) to (f), as the API names them. */
export const ERASURE_GROUNDS = [
  'NO_LONGER_NECESSARY',
  'CONSENT_WITHDRAWN',
  'OBJECTION',
  'UNLAWFULLY_PROCESSED',
  'LEGAL_OBLIGATION',
  'CHILD_INFORMATION_SOCIETY',
] as const;

/**
 * The button and its dialog. With `personId` the person is known (the case page); without it
 * the dialog asks for the id (the administrator's page).
 */
export function ErasePerson({ personId, onDone }: { personId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [ground, setGround] = useState('');
  const [typed, setTyped] = useState('');
  const [givenId, setGivenId] = useState('');
  const form = useSubmit(['ground', 'confirmation', 'personId']);
  const word = t('erase.word');
  const id = (personId ?? givenId).trim();
  const close = () => {
    setOpen(false);
    setTyped('');
    form.setErrors([]);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The typed word is the console's own check; the API's confirmation repeats the id.
    if (typed.trim().toLocaleUpperCase() !== word.toLocaleUpperCase()) {
      form.setErrors([{ field: 'confirmation', code: 'INVALID_INPUT', local: true, message: t('erase.mismatch', { word }) }]);
      return;
    }
    const done = await form.run(() => request(ErasePersonMutation, { input: { personId: id, ground, confirmation: id } }));
    if (done) {
      close();
      // The next erasure starts from an empty form.
      setGround('');
      setGivenId('');
      onDone();
    }
  };
  const notFound = form.general.some((e) => e.code === 'NOT_FOUND');
  return (
    <>
      <button type="button" className="btn btn-outline-danger" data-testid="erase-open" onClick={() => setOpen(true)}>
        {t('erase.open')}
      </button>
      <Modal isOpen={open} toggle={close} labelledBy={titleId} data-testid="erase-dialog">
        <form onSubmit={submit} noValidate>
          <ModalHeader toggle={close} id={titleId}>
            {t('erase.dialogTitle')}
          </ModalHeader>
          <ModalBody>
            <p>{t('erase.warning')}</p>
            {personId === undefined && (
              <TextField
                label={t('erase.personId')}
                hint={t('erase.personIdHint')}
                value={givenId}
                onChange={setGivenId}
                error={form.fieldError('personId')}
                required
              />
            )}
            <SelectField
              label={t('erase.ground')}
              value={ground}
              onChange={setGround}
              required
              placeholder={t('erase.groundPlaceholder')}
              options={ERASURE_GROUNDS.map((g) => ({ value: g, label: t(`erase.grounds.${g}`) }))}
              error={form.fieldError('ground')}
            />
            <TextField
              label={t('erase.confirm', { word })}
              value={typed}
              onChange={setTyped}
              required
              autoComplete="off"
              error={form.fieldError('confirmation')}
            />
            <FormErrors errors={notFound ? [{ code: 'NOT_FOUND', local: true, message: t('erase.notFound') }] : form.general} />
          </ModalBody>
          <ModalFooter>
            <button type="button" className="btn btn-outline-secondary" onClick={close}>
              {t('erase.cancel')}
            </button>
            <SubmitButton busy={form.busy}>{t('erase.submit')}</SubmitButton>
          </ModalFooter>
        </form>
      </Modal>
    </>
  );
}
