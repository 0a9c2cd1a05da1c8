// Pickers of codes by name (countries, languages): an input with a list of matching names, in
// the ARIA combobox pattern (arrows move, Enter or a click picks, Escape closes). Typed text
// that names no option is kept as typed and sent, so the server's refusal shows on the field.
import { useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorItem } from '../api/client';
import { fold, type PickerOption } from '../iso';
import { Feedback, describedBy } from './Form';
import { isolate } from '../bidi';

/** The most names the list shows at once; typing narrows it. */
const SHOWN = 30;

/**
 * The options typed text matches, best first: the code or the whole name; a name in the
 * console's language that starts with the text; any other name starting with it (a name the
 * browser does not give in the console's language, a name in another language); the text inside
 * a name. Among equals, names in the console's language before the others, then the later ones
 * (extinct languages) last, then the list's own order.
 */
function matches(options: PickerOption[], typed: string): PickerOption[] {
  const q = fold(typed.trim());
  if (!q) return options.filter((o) => !o.later).slice(0, SHOWN);
  const tier = (o: PickerOption) => {
    const label = fold(o.label);
    if (o.value.toLowerCase() === q || label === q) return 0;
    if (label.startsWith(q) && !o.foreign) return 1;
    if (label.startsWith(q) || ` ${o.search}`.includes(` ${q}`)) return 2;
    if (label.includes(q)) return 3;
    return o.search.includes(q) ? 4 : -1;
  };
  const rank = (o: PickerOption) => {
    const score = tier(o);
    return score < 0 ? -1 : score * 4 + (o.foreign ? 2 : 0) + (o.later ? 1 : 0);
  };
  return options
    .map((o) => [rank(o), o] as const)
    .filter(([r]) => r >= 0)
    .sort((a, b) => a[0] - b[0])
    .slice(0, SHOWN)
    .map(([, o]) => o);
}

/** The option typed text stands for: its code, or exactly its name. */
function exact(options: PickerOption[], typed: string): PickerOption | undefined {
  const q = fold(typed.trim());
  return options.find((o) => o.value.toLowerCase() === q) ?? options.find((o) => fold(o.label) === q);
}

function Combobox({
  id,
  options,
  text,
  setText,
  onPick,
  invalid,
  describedById,
  required,
}: {
  id: string;
  options: PickerOption[];
  text: string;
  setText: (v: string) => void;
  /** An option picked, or the typed text when it names none. */
  onPick: (value: string, option?: PickerOption) => void;
  invalid: boolean;
  describedById?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const shown = useMemo(() => (open ? matches(options, text) : []), [open, options, text]);
  const listId = `${id}-list`;
  const pick = (o: PickerOption) => {
    onPick(o.value, o);
    setOpen(false);
  };
  const commit = () => {
    if (!text.trim()) return;
    // The option named exactly, or the only one the text finds (`mandarino` → cinese).
    const found = matches(options, text);
    const o = exact(options, text) ?? (found.length === 1 ? found[0] : undefined);
    if (o) onPick(o.value, o);
    else onPick(text.trim());
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(shown.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const o = open ? shown[active] : undefined;
      if (o) pick(o);
      else commit();
      setOpen(false);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };
  return (
    <div className="position-relative">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        className={`form-control${invalid ? ' is-invalid' : ''}`}
        aria-expanded={open && shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${id}-${shown[active].value}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedById}
        aria-required={required || undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          commit();
        }}
        onKeyDown={onKey}
      />
      <ul id={listId} role="listbox" className="list-group position-absolute w-100 shadow picker-list" hidden={!open || shown.length === 0}>
        {shown.map((o, i) => (
          <li
            key={o.value}
            id={`${id}-${o.value}`}
            role="option"
            aria-selected={i === active}
            className={`list-group-item list-group-item-action${i === active ? ' active' : ''}`}
            // Picked on mouse down, before the input's blur commits the typed text.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(o);
            }}
          >
            {o.label} <span className="text-muted small">({o.value})</span>
          </li>
        ))}
      </ul>
      {open && text.trim() !== '' && shown.length === 0 && (
        <small className="form-text text-muted" role="status">
          {t('picker.none')}
        </small>
      )}
    </div>
  );
}

interface PickerProps {
  label: string;
  options: PickerOption[];
  error?: ApiErrorItem;
  hint?: string;
  required?: boolean;
}

/** One code, or none: the input shows the picked option's name. */
export function CodePicker({
  label,
  options,
  value,
  onChange,
  error,
  hint,
  required,
}: PickerProps & { value: string; onChange: (code: string) => void }) {
  const id = useId();
  const name = (code: string) => options.find((o) => o.value === code)?.label ?? code;
  // The text in the input while it is being edited; `null` shows the picked value's name.
  const [typing, setTyping] = useState<string | null>(null);
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <Combobox
        id={id}
        options={options}
        text={typing ?? (value ? name(value) : '')}
        setText={(v) => {
          setTyping(v);
          if (!v.trim()) onChange('');
        }}
        onPick={(code) => {
          onChange(code);
          setTyping(null);
        }}
        invalid={!!error}
        describedById={describedBy(id, error, hint)}
        required={required}
      />
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

/** Several codes, each shown by name with a button to remove it, and a picker to add one. */
export function CodeListPicker({
  label,
  options,
  values,
  onChange,
  error,
  hint,
  extra,
}: PickerProps & {
  values: string[];
  onChange: (codes: string[]) => void;
  /** Shown after each picked name (e.g. a level). */
  extra?: (code: string) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const name = (code: string) => options.find((o) => o.value === code)?.label ?? code;
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
      </label>
      {values.length > 0 && (
        <ul className="list-unstyled d-flex flex-column gap-1 mb-2">
          {values.map((code) => (
            <li key={code} className="d-flex align-items-center gap-2 flex-wrap" data-code={code}>
              <span className="badge bg-light text-dark border">{name(code)}</span>
              {extra?.(code)}
              <button
                type="button"
                className="btn btn-link btn-sm p-0"
                onClick={() => onChange(values.filter((v) => v !== code))}
              >
                {t('picker.remove', { name: isolate(name(code)) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Combobox
        id={id}
        options={options.filter((o) => !values.includes(o.value))}
        text={text}
        setText={setText}
        onPick={(code) => {
          if (!values.includes(code)) onChange([...values, code]);
          setText('');
        }}
        invalid={!!error}
        describedById={describedBy(id, error, hint)}
      />
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}
