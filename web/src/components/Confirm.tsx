// Confirmation before a destructive action (cancelling an appointment, revoking an invitation,
// taking a member out of a household, closing a case, cancelling a plan step, withdrawing a
// consent): a modal dialog that says what will happen, with the safe choice first. The erasure
// of a person has its own dialog, with a typed confirmation (ErasePerson).
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';

export interface Confirmation {
  /** The question, e.g. «Annullare l'appuntamento?». */
  title: string;
  /** What will happen, with the data it concerns (user data isolated by the caller). */
  body: ReactNode;
  /** The destructive button's text, e.g. «Sì, annulla l'appuntamento». */
  confirm: string;
}

/** The dialog itself, controlled: `onConfirm` runs only on the destructive button. */
export function ConfirmDialog({
  open,
  confirmation,
  onConfirm,
  onClose,
}: {
  open: boolean;
  confirmation: Confirmation;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <Modal isOpen={open} toggle={onClose} labelledBy={titleId} data-testid="confirm-dialog">
      <ModalHeader toggle={onClose} id={titleId}>
        {confirmation.title}
      </ModalHeader>
      <ModalBody>
        <p className="mb-0">{confirmation.body}</p>
      </ModalBody>
      <ModalFooter>
        <button type="button" className="btn btn-outline-primary" onClick={onClose} data-testid="confirm-keep">
          {t('confirm.keep')}
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} data-testid="confirm-yes">
          {confirmation.confirm}
        </button>
      </ModalFooter>
    </Modal>
  );
}

/** A button whose action runs only after the dialog's confirmation. */
export function ConfirmButton({
  children,
  confirmation,
  onConfirm,
  className = 'btn btn-outline-danger btn-xs',
  ariaLabel,
  disabled,
}: {
  children: ReactNode;
  confirmation: Confirmation;
  onConfirm: () => void | Promise<void>;
  className?: string;
  ariaLabel?: string;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} aria-label={ariaLabel} aria-haspopup="dialog" disabled={disabled} onClick={() => setOpen(true)}>
        {children}
      </button>
      <ConfirmDialog
        open={open}
        confirmation={confirmation}
        onClose={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          void onConfirm();
        }}
      />
    </>
  );
}
