// A failed call's message, which the core guarantees is safe to show (never patient data).
import type { ApiError } from '../../../shared/api/protocol';

/**
 * `fieldsShown`: the form shows each field issue beside its field (fieldError), so the message
 * appears here only for a failure that names no field.
 */
export function ErrorMessage({
  error,
  fieldsShown = false,
}: {
  error: ApiError | null | undefined;
  fieldsShown?: boolean;
}) {
  if (!error || (fieldsShown && error.issues.length > 0)) return null;
  return (
    <p className="error-message" role="alert">
      {error.message}
    </p>
  );
}
