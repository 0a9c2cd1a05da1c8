/** A Bootstrap Italia progress bar with an accessible name; without `value` it is indeterminate. */
export function ProgressBar({ label, value, color = 'primary' }: { label: string; value?: number; color?: 'primary' | 'success' }) {
  const indeterminate = value === undefined;
  return (
    <div className={`progress${indeterminate ? ' progress-indeterminate' : ''}`}>
      <div
        className={`progress-bar bg-${color}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={indeterminate ? undefined : 0}
        aria-valuemax={indeterminate ? undefined : 100}
        aria-valuenow={indeterminate ? undefined : value}
        style={indeterminate ? undefined : { width: `${value}%` }}
      />
    </div>
  );
}
