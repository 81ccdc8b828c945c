// A failed call's message, which the core guarantees is safe to show (never patient data).
import type { ApiError } from '../../../shared/api/protocol';

export function ErrorMessage({ error }: { error: ApiError | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error-message" role="alert">
      {error.message}
    </p>
  );
}
