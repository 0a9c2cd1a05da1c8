// Runs an export that returns a file (base64), showing progress while it runs, then downloads it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { ProgressBar } from './ProgressBar';
import { ApiError } from '../api/client';
import { FormErrors } from './Form';

export interface ExportedFile {
  filename: string;
  contentType: string;
  base64: string;
}

function download(file: ExportedFile) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ label, run }: { label: string; run: () => Promise<ExportedFile> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'running' | 'done'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div className="export">
      <Button
        color="primary"
        outline
        size="sm"
        disabled={state === 'running'}
        onClick={async () => {
          setState('running');
          setError(null);
          try {
            download(await run());
            setState('done');
          } catch (e) {
            setError(e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]));
            setState('idle');
          }
        }}
      >
        {label}
      </Button>
      <div aria-live="polite" className="mt-2">
        {state === 'running' && (
          <>
            <ProgressBar label={t('dashboard.exporting')} />
            <span className="small">{t('dashboard.exporting')}</span>
          </>
        )}
        {state === 'done' && <span className="small">{t('dashboard.exported')}</span>}
      </div>
      {error && <FormErrors errors={error.items} />}
    </div>
  );
}
