// Form fields in the Designers Italia markup, each able to show the server's error for it.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import type { TFunction } from 'i18next';
import type { ApiErrorItem } from '../api/client';
import { formatDate, formatNumber } from '../i18n';

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ApiErrorItem;
  hint?: string;
  required?: boolean;
  name?: string;
}

/** A reason's parameters in the console's language: dates and numbers formatted, list, object
 * and purpose codes named. */
function localParams(params: Record<string, unknown> | undefined, t: TFunction, language: string) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (typeof value === 'number') out[key] = new Intl.NumberFormat(language, { useGrouping: Math.abs(value) >= 10000 }).format(value);
    else if (typeof value !== 'string') continue;
    else if (key === 'list' || key === 'object' || key === 'purpose') out[key] = t(`errors.${key}s.${value}`, { defaultValue: value });
    else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) out[key] = formatDate(value);
    else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) out[key] = formatDate(value, true);
    else out[key] = value;
  }
  return out;
}

/**
 * The message shown for an error, in the console's language: the translation of its server
 * reason with its parameters (`errors.reasons.<REASON>`); for a reason the console does not know,
 * what the code means (and, in English only, the server's own words).
 */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (e: ApiErrorItem) => {
    // A stale version: someone else saved the record after it was loaded.
    if (e.code === 'CONFLICT' && e.field === 'expectedVersion') return t('errors.STALE');
    // A refusal the console words itself is already in the user's language.
    if (e.local) return e.message;
    const known = t(`errors.${e.code}`, { defaultValue: '' });
    // A refusal the console names itself (a date in the past) has no server words to add.
    if (known && !e.message) return known;
    if (e.reason && i18n.exists(`errors.reasons.${e.reason}`)) {
      return t(`errors.reasons.${e.reason}`, localParams(e.params, t, i18n.language));
    }
    if (!known) return e.message;
    // A refusal the console words itself (passwords that differ) carries its own words; a
    // server reason unknown to this console shows the code's meaning, the English words only in
    // English.
    if (!e.reason) return `${known} (${e.message})`;
    return i18n.language === 'en' && e.message ? `${known} (${e.message})` : known;
  };
}

export function Feedback({ id, error, hint }: { id: string; error?: ApiErrorItem; hint?: string }) {
  const text = useErrorText();
  return (
    <>
      {hint && (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      )}
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block field-error" role="alert">
          {text(error)}
        </div>
      )}
    </>
  );
}

export function describedBy(id: string, error?: ApiErrorItem, hint?: string) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Input types whose value is typed text. */
const TYPED = ['text', 'search', 'email', 'tel', 'password', 'url'];

export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  required,
  name,
  type = 'text',
  autoComplete,
  inputMode,
  min,
  max,
  maxLength,
  placeholder,
}: FieldProps & {
  type?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'text';
  min?: string;
  max?: string;
  maxLength?: number;
  /** Only for what an empty field means (a write-only secret already set), never as its label. */
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        // Typed text takes the direction of its first strong letter (a name in Arabic script in
        // the Italian console, a Latin spelling in the Arabic one); dates and numbers keep theirs.
        dir={TYPED.includes(type) ? 'auto' : undefined}
        min={min}
        max={max}
        maxLength={maxLength}
        className={`form-control${error ? ' is-invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        placeholder={placeholder}
      />
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

/**
 * A text box for a longer text. With `maxLength` (the API's limit) it takes no more and says how
 * many characters are left, announced politely as the limit nears.
 */
export function TextArea({
  label,
  value,
  onChange,
  error,
  hint,
  name,
  required,
  maxLength,
  rows = 3,
  className,
}: FieldProps & { maxLength?: number; rows?: number; className?: string }) {
  const id = useId();
  const { t } = useTranslation();
  const left = maxLength === undefined ? undefined : maxLength - value.length;
  const counter = maxLength === undefined ? '' : `${id}-counter`;
  const described = [describedBy(id, error, hint), counter].filter(Boolean).join(' ') || undefined;
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <textarea
        id={id}
        name={name}
        dir="auto"
        rows={rows}
        maxLength={maxLength}
        className={`form-control${error ? ' is-invalid' : ''}${className ? ` ${className}` : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {left !== undefined && (
        <small id={counter} className="form-text d-block char-counter" aria-live={left <= 50 ? 'polite' : 'off'} data-testid="char-counter">
          {t('common.charactersLeft', { count: left, n: formatNumber(left) })}
        </small>
      )}
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  label,
  value,
  onChange,
  error,
  hint,
  required,
  name,
  options,
  placeholder,
}: FieldProps & { options: { value: string; label: string }[]; placeholder?: string }) {
  const id = useId();
  return (
    <div className="select-wrapper form-group">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <select
        id={id}
        name={name}
        className={error ? 'is-invalid' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

export function CheckField({
  label,
  checked,
  onChange,
  name,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
}) {
  const id = useId();
  return (
    <div className="form-check">
      <input id={id} name={name} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A group of checkboxes for a list value; its error is the list's field error. */
export function CheckGroup({
  legend,
  options,
  values,
  onChange,
  error,
  name,
}: {
  legend: string;
  options: { value: string; label: ReactNode }[];
  values: string[];
  onChange: (values: string[]) => void;
  error?: ApiErrorItem;
  name?: string;
}) {
  const id = useId();
  return (
    <fieldset className="mb-3" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="fs-6 fw-semibold mb-2">{legend}</legend>
      <div className="check-grid">
        {options.map((o) => (
          <CheckField
            key={o.value}
            name={name}
            label={o.label}
            checked={values.includes(o.value)}
            onChange={(on) => onChange(on ? [...values, o.value] : values.filter((v) => v !== o.value))}
          />
        ))}
      </div>
      <Feedback id={id} error={error} />
    </fieldset>
  );
}

/** Errors that belong to no field of the form. */
export function FormErrors({ errors }: { errors: ApiErrorItem[] }) {
  const text = useErrorText();
  if (errors.length === 0) return null;
  return (
    <Alert color="danger">
      {errors.map((e, i) => (
        <p key={i} className="mb-0">
          {text(e)}
        </p>
      ))}
    </Alert>
  );
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <Button type="submit" color="primary" disabled={busy} aria-busy={busy || undefined}>
      {children}
    </Button>
  );
}
