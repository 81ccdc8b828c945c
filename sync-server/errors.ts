// Errors the routes throw on purpose. Their message is safe to show and to log: it never holds
// patient data. The app's error handler turns them into `{ error, message, issues? }`.

export interface ErrorIssue {
  readonly field: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly ErrorIssue[];
}

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly issues: readonly ErrorIssue[] | undefined;

  constructor(statusCode: number, code: string, message: string, issues?: readonly ErrorIssue[]) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.issues = issues;
  }

  toBody(): ErrorBody {
    return this.issues
      ? { error: this.code, message: this.message, issues: this.issues }
      : { error: this.code, message: this.message };
  }
}

export const unauthorized = (message: string): HttpError =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);
export const badRequest = (message: string, issues?: readonly ErrorIssue[]): HttpError =>
  new HttpError(400, 'bad_request', message, issues);
